/* bench_thread: the OS-thread side of the benchmarks — what the lecture compares tasks to:
 * pthread_create + join, a handoff between two threads through a condition variable, and
 * the resident memory of blocked threads with the default stack.
 *
 * Times are real (CLOCK_MONOTONIC) and cover the measured part only. Every thread started
 * is joined before a function returns. */
#ifndef PINATA_BENCH_THREAD_H
#define PINATA_BENCH_THREAD_H
#include <stddef.h>
#include <stdint.h>

typedef struct bench_thread_run {
    uint64_t ns;    /* real time of the measured part */
    uint64_t count; /* threads joined, or handoffs made */
    int ok;         /* every thread could be created */
} bench_thread_run;

/* Creates and joins n threads that do nothing, at most batch alive at once. */
bench_thread_run bench_thread_create(long n, long batch);

/* Two threads hand a turn back and forth `switches` times through one mutex and condition
 * variable. */
bench_thread_run bench_thread_switch(long switches);

typedef struct bench_thread_mem {
    uint64_t blocked; /* threads alive and blocked at the measurement */
    long rss_delta;   /* resident bytes they added (statm) */
    long vsz_delta;   /* address space they reserved (statm) */
    long kstack_delta;/* kernel stacks they added (machine-wide KernelStack, so a little noisy) */
    int ok;
} bench_thread_mem;

/* Starts n threads with the default stack; each touches `touch` bytes of its stack (0, or
 * 100 KB as the lecture says is common), then blocks until all are measured. */
bench_thread_mem bench_thread_memory(long n, size_t touch);

#endif
