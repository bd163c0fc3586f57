/* Input files: read once (pipes and FIFOs work), bounded in size, no hang on a FIFO. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "trace/infile.h"

static const char text[] = "{\"name\": \"x\"}\n";

/* A child opens the FIFO for writing and writes text (or nothing). */
static pid_t writer(const char *fifo, const char *what) {
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        FILE *f = fopen(fifo, "w");
        if (!f) _exit(1);
        fputs(what, f);
        _exit(fclose(f) == 0 ? 0 : 1);
    }
    return pid;
}

static void reap(pid_t pid) {
    int st;
    assert_int_equal(waitpid(pid, &st, 0), pid);
    assert_true(WIFEXITED(st));
}

static void a_fifo_with_a_writer_should_be_read_whole(void **s) {
    (void)s;
    unlink("t_in.fifo");
    assert_int_equal(mkfifo("t_in.fifo", 0600), 0);
    pid_t pid = writer("t_in.fifo", text);
    char err[256];
    size_t len = 0;
    char *buf = infile_read("t_in.fifo", INFILE_SCENARIO, &len, err, sizeof err);
    reap(pid);
    assert_non_null(buf);
    assert_int_equal(len, strlen(text));
    assert_string_equal(buf, text);
    free(buf);
    unlink("t_in.fifo");
}

static void a_fifo_nobody_writes_to_should_fail_instead_of_hanging(void **s) {
    (void)s;
    unlink("t_in_none.fifo");
    assert_int_equal(mkfifo("t_in_none.fifo", 0600), 0);
    infile_set_wait_ms(50);
    char err[256];
    size_t len;
    assert_null(infile_read("t_in_none.fifo", INFILE_TRACE, &len, err, sizeof err));
    infile_set_wait_ms(INFILE_WAIT_S * 1000);
    assert_non_null(strstr(err, "t_in_none.fifo: nothing to read after 0.05 s"));
    unlink("t_in_none.fifo");
}

static void a_pipe_should_be_read_through_dev_fd(void **s) {
    (void)s;
    int p[2];
    assert_int_equal(pipe(p), 0);
    assert_int_equal(write(p[1], "[\n]\n", 4), 4);
    close(p[1]);
    char path[64], err[256];
    snprintf(path, sizeof path, "/dev/fd/%d", p[0]);
    size_t len;
    char *buf = infile_read(path, INFILE_ANY, &len, err, sizeof err);
    assert_non_null(buf);
    assert_true(infile_is_trace(buf, len));
    free(buf);
    close(p[0]);
}

/* A sparse file of size bytes starting with head: large on paper, nothing on disk. */
static void sparse(const char *path, const char *head, off_t size) {
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(head, f);
    fclose(f);
    assert_int_equal(truncate(path, size), 0);
}

static void a_file_over_the_cap_should_be_refused_saying_the_cap(void **s) {
    (void)s;
    char err[256];
    size_t len;
    sparse("t_in_big.json", "{", ((off_t)INFILE_SCENARIO_MB << 20) + 1);
    assert_null(infile_read("t_in_big.json", INFILE_SCENARIO, &len, err, sizeof err));
    assert_string_equal(err, "t_in_big.json: larger than 16 MB: expected a scenario file of at most 16 MB");
    /* not known to be a scenario: the first character decides */
    assert_null(infile_read("t_in_big.json", INFILE_ANY, &len, err, sizeof err));
    assert_string_equal(err, "t_in_big.json: larger than 16 MB: expected a scenario file of at most 16 MB");
    sparse("t_in_big.json", "[", ((off_t)INFILE_TRACE_MB << 20) + 1);
    assert_null(infile_read("t_in_big.json", INFILE_TRACE, &len, err, sizeof err));
    assert_string_equal(err, "t_in_big.json: larger than 1024 MB: expected a trace of at most 1024 MB");
    unlink("t_in_big.json");
}

static void an_endless_stream_should_stop_at_the_cap(void **s) {
    (void)s;
    char err[256];
    size_t len;
    assert_null(infile_read("/dev/zero", INFILE_ANY, &len, err, sizeof err));
    assert_string_equal(err, "/dev/zero: larger than 16 MB: expected a scenario file of at most 16 MB");
    assert_int_equal(errno, EFBIG);
}

static void a_missing_file_or_a_directory_should_say_why(void **s) {
    (void)s;
    char err[256];
    size_t len;
    assert_null(infile_read("no/such/file.json", INFILE_SCENARIO, &len, err, sizeof err));
    assert_string_equal(err, "no/such/file.json: cannot read the file: No such file or directory");
    assert_int_equal(errno, ENOENT);
    assert_null(infile_read(".", INFILE_SCENARIO, &len, err, sizeof err));
    assert_string_equal(err, ".: cannot read the file: Is a directory");
}

static void the_first_non_blank_character_should_tell_a_trace(void **s) {
    (void)s;
    assert_true(infile_is_trace(" \n\t[", 4));
    assert_false(infile_is_trace(" {", 2));
    assert_false(infile_is_trace("\0[", 2));
    assert_false(infile_is_trace("", 0));
}

int main(void) {
    signal(SIGPIPE, SIG_IGN);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_fifo_with_a_writer_should_be_read_whole),
        cmocka_unit_test(a_fifo_nobody_writes_to_should_fail_instead_of_hanging),
        cmocka_unit_test(a_pipe_should_be_read_through_dev_fd),
        cmocka_unit_test(a_file_over_the_cap_should_be_refused_saying_the_cap),
        cmocka_unit_test(an_endless_stream_should_stop_at_the_cap),
        cmocka_unit_test(a_missing_file_or_a_directory_should_say_why),
        cmocka_unit_test(the_first_non_blank_character_should_tell_a_trace),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
