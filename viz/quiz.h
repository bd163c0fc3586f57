/* quiz: "what happens next?" — questions whose answers are in the trace, asked at chosen
 * steps by the window's quiz mode and by the HTML page.
 *
 * A quiz is either the scenario's own ("quiz" in the scenario file, carried into the
 * trace's header; docs/scenario-format.md) or, when the trace has none, generated from
 * the trace: a handful of questions spread over the run, each of one kind below, its
 * right answer and its explanation read from the events (the explanation is the caption
 * of the step that shows the answer, so it says nothing the trace does not).
 *
 * Every text is given in English and Korean ([MSG_EN], [MSG_KO]). The arrays are plain
 * so a page can serialize them (viz/page writes them into its data for the player).
 *
 * quiz_play is the quiz mode's state machine (no SDL): the viewer steps on, stops at a
 * question's step (ASKING), takes an answer (REVEALED: right or wrong, the score counts
 * it, the cursor may move to the step that shows the answer), then steps on (WAIT) until
 * the next question, and after the last one is DONE. quiz_draw draws its box into the
 * viewer's draw list.
 *
 * Ownership: quiz_build fills a quiz the caller owns; quiz_free releases its questions. */
#ifndef PINATA_QUIZ_H
#define PINATA_QUIZ_H
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "viz/draw.h"
#include "viz/msg.h"
#include "viz/tindex.h"
#include "trace/tload.h"

enum {
    QUIZ_MAX_CHOICES = 6,
    QUIZ_ASK_LEN = 256,      /* bytes, with the NUL: a scenario's longer text is refused */
    QUIZ_CHOICE_LEN = 96,
    QUIZ_EXPLAIN_LEN = 768,
    QUIZ_MAX_QUESTIONS = 64, /* a scenario's quiz at most; the generator asks QUIZ_GEN_COUNT */
    QUIZ_GEN_COUNT = 6
};

typedef enum quiz_kind {
    QUIZ_RESULT,    /* a poll starts: does it return Pending or Ready? */
    QUIZ_NEXT_TASK, /* which task does this thread poll next? (the tasks on that thread) */
    QUIZ_WAKER,     /* the thread parks: what wakes it? (network event, timer, another task) */
    QUIZ_WORKER,    /* a task of a pool was woken: on which worker does it resume? */
    QUIZ_SCENARIO   /* written by the scenario's author */
} quiz_kind;

typedef struct quiz_question {
    long step;        /* 0-based step the viewer stops at ("step step+1 of N"); the answer is
                         not shown yet there (with reveal mode on, nothing after it is drawn) */
    long reveal_step; /* 0-based step that shows the answer (>= step); the viewer moves there
                         on reveal. A scenario's question: its "reveal_step", else step */
    quiz_kind kind;
    int32_t event;    /* the event the answer was read from (the poll, the wake ...); -1 for a
                         scenario's question */
    int nchoices;     /* 2..QUIZ_MAX_CHOICES */
    int answer;       /* 0-based index of the right choice */
    char ask[2][QUIZ_ASK_LEN];                            /* [MSG_EN], [MSG_KO] */
    char choice[2][QUIZ_MAX_CHOICES][QUIZ_CHOICE_LEN];    /* [lang][i] */
    char explain[2][QUIZ_EXPLAIN_LEN];                    /* [lang] */
} quiz_question;

typedef struct quiz {
    quiz_question *q; /* in step order, each asked after the previous one's reveal_step */
    size_t n;
    int from_scenario; /* nonzero: the scenario's own questions (none are generated then) */
} quiz;

/* The quiz of a loaded trace: the scenario's questions when its header has "quiz", else
 * generated (none for a run with nothing to ask, e.g. only synchronous threads: n = 0).
 * Returns 0, or -1 with one line "FILE:LINE: quiz[2].answer: expected ..." in err for a
 * scenario quiz that does not fit the trace (then qz is empty). */
int quiz_build(const tload_trace *t, const tindex *ix, quiz *qz, char *err, size_t errlen);

/* Only checks the trace's scenario quiz (what the viewer does on load); 0 when it is
 * fine or absent, -1 with the one-line error in err. */
int quiz_check(const tload_trace *t, const tindex *ix, char *err, size_t errlen);

/* When the run left the scenario's own quiz out (its header's quiz_left_out: it ran with
 * other options, so other steps), one warning line naming input into buf, and buf;
 * NULL when it did not. Said where a quiz is used: a simulation with those options (viz/doc),
 * `pinata text --quiz`, an HTML page. */
const char *quiz_left_out_line(const tload_trace *t, const char *input, char *buf, size_t len);

void quiz_free(quiz *qz);

/* The quiz in words for a terminal (`pinata text IN --quiz`): each question with its step,
 * its choices (the right one marked), and its explanation at the step that shows it.
 * Text from the trace is made printable. Returns 0, -1 on a write error. */
int quiz_write(FILE *out, const quiz *qz, msg_lang lang);

/* The name of a kind in the JSON ("result", "next_task", "waker", "worker", "scenario"). */
const char *quiz_kind_name(quiz_kind k);

/* ---- quiz mode ------------------------------------------------------------------- */

typedef enum quiz_phase {
    QUIZ_OFF = 0,   /* not in quiz mode */
    QUIZ_WAIT,      /* stepping on towards the next question */
    QUIZ_ASKING,    /* stopped at a question; waiting for an answer */
    QUIZ_REVEALED,  /* answered: the right answer and the explanation are shown */
    QUIZ_DONE       /* every question was asked */
} quiz_phase;

typedef struct quiz_play {
    const quiz *qz;   /* not owned */
    quiz_phase phase;
    size_t cur;       /* the question asked or revealed; the next one while WAIT */
    int chosen;       /* the choice given to the current question, -1 none (skipped) */
    int right, asked; /* the score: right answers of questions answered or skipped */
} quiz_play;

/* Enters quiz mode at the first question (phase WAIT; DONE when there is none). */
void quiz_play_start(quiz_play *p, const quiz *qz);

/* Leaves quiz mode (phase OFF). */
void quiz_play_stop(quiz_play *p);

/* The viewer moves its cursor from step `from` to step `to`. While a question is asked
 * the cursor stays (returns from); moving forward past the next question's step stops
 * there and asks it (returns that step, phase ASKING); else returns to. After a reveal,
 * moving goes on (WAIT). Moving back before a question already passed does not ask it
 * again. Outside quiz mode returns to. */
long quiz_play_move(quiz_play *p, long from, long to);

/* Answers the asked question with choice (0-based): phase REVEALED and the score
 * counts it. Returns 1 right, 0 wrong, -1 when nothing is asked or choice is no choice. */
int quiz_play_answer(quiz_play *p, int choice);

/* Skips the asked question (counted as asked, not right): phase REVEALED. */
int quiz_play_skip(quiz_play *p);

/* The question shown (asked or revealed), or NULL. */
const quiz_question *quiz_play_current(const quiz_play *p);

/* Draws the quiz box (the question and its choices, then the answer and explanation, and
 * the score) into d after the layout's commands, tagged DRAW_TAG_QUIZ; each choice's box
 * has ref = its index so a click finds it (draw_hit). The box stands at the right, its
 * bottom at the bottom of the visible band y0..y1 (or of the page when that is shorter):
 * over the right of the source panel, which Rust lines seldom reach, and away from the
 * cursor and the plot. Draws nothing when p is OFF. scale: the view's text scale. */
void quiz_draw(const quiz_play *p, draw_list *d, msg_lang lang, float width, float y0, float y1, float scale);

#endif
