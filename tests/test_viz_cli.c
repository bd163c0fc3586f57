/* cli/cmd_viz: export, text, view and show as a user runs them. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "util_trace.h"

/* Runs `pinata ARGS` (tests/util_trace.c), failing the test if it cannot start. */
static int pinata(const char *args, char *out, size_t cap) {
    int st = ut_pinata(args, out, cap);
    assert_true(st >= 0);
    return st;
}

static int exists(const char *path) { return access(path, F_OK) == 0; }

static int lines(const char *s) {
    int n = 0;
    for (; *s; s++) n += *s == '\n';
    return n;
}

static void export_should_write_an_svg_and_a_png_of_an_example(void **s) {
    (void)s;
    static char out[8192];
    remove("t_cli_b.svg");
    remove("t_cli_b.png");
    assert_int_equal(pinata("export block_on -o t_cli_b.svg", out, sizeof out), 0);
    assert_non_null(strstr(out, "wrote t_cli_b.svg"));
    assert_int_equal(pinata("export block_on -o t_cli_b.png --presenter --lang ko --step 12", out, sizeof out), 0);
    assert_true(exists("t_cli_b.svg") && exists("t_cli_b.png"));
    remove("t_cli_b.svg");
    remove("t_cli_b.png");
}

static void export_should_refuse_an_unknown_output_type_in_one_line(void **s) {
    (void)s;
    static char out[8192];
    assert_int_equal(pinata("export block_on -o t_cli.gif", out, sizeof out), 2);
    assert_non_null(strstr(out, "expected an output ending in .svg, .png or .html"));
    assert_int_equal(lines(out), 1);
    assert_false(exists("t_cli.gif"));
}

static void export_of_an_unknown_input_should_fail_in_one_line(void **s) {
    (void)s;
    static char out[8192];
    assert_int_equal(pinata("export no_such_example -o t_cli_x.svg", out, sizeof out), 1);
    assert_non_null(strstr(out, "no_such_example: expected a trace file, a scenario file or a built-in example"));
    assert_int_equal(lines(out), 1);
    assert_false(exists("t_cli_x.svg"));
}

static void export_of_a_trace_of_another_schema_should_fail_and_leave_no_file(void **s) {
    (void)s;
    static char out[8192];
    FILE *f = fopen("t_cli_schema.json", "w");
    fputs("[\n{\"ph\":\"M\",\"name\":\"pinata\",\"pid\":1,\"tid\":0,\"args\":{\"schema\":2}}\n]\n", f);
    fclose(f);
    assert_int_equal(pinata("export t_cli_schema.json -o t_cli_s.png", out, sizeof out), 1);
    assert_non_null(strstr(out, "t_cli_schema.json:2: expected schema 1"));
    assert_false(exists("t_cli_s.png"));
    assert_int_equal(ut_temporaries("t_cli_s.png"), 0);
    remove("t_cli_schema.json");
}

static void export_of_a_truncated_trace_should_warn_and_draw_what_is_there(void **s) {
    (void)s;
    static char out[8192];
    assert_int_equal(pinata("run block_on -o t_cli_full.json", out, sizeof out), 0);
    /* keep the first 40 lines and half of the 41st, as a crashed run would leave it */
    FILE *in = fopen("t_cli_full.json", "r"), *o = fopen("t_cli_cut.json", "w");
    char line[8192];
    for (int i = 0; i < 41 && fgets(line, sizeof line, in); i++) {
        if (i == 40) line[strlen(line) / 2] = 0;
        fputs(line, o);
    }
    fclose(in);
    fclose(o);
    assert_int_equal(pinata("export t_cli_cut.json -o t_cli_cut.svg", out, sizeof out), 0);
    assert_non_null(strstr(out, "t_cli_cut.json:41: warning: the trace is truncated"));
    assert_true(exists("t_cli_cut.svg"));
    remove("t_cli_full.json");
    remove("t_cli_cut.json");
    remove("t_cli_cut.svg");
}

static void export_frames_should_write_one_png_per_step(void **s) {
    (void)s;
    static char out[8192];
    system("rm -rf t_cli_frames");
    assert_int_equal(pinata("export block_on --frames t_cli_frames --width 500", out, sizeof out), 0);
    int n = 0;
    DIR *dir = opendir("t_cli_frames");
    assert_non_null(dir);
    for (struct dirent *e; (e = readdir(dir));) n += strstr(e->d_name, ".png") != NULL;
    closedir(dir);
    int steps = 0;
    assert_int_equal(sscanf(strstr(out, "wrote "), "wrote %d frames", &steps), 1);
    assert_int_equal(n, steps);
    assert_true(exists("t_cli_frames/step-00001.png"));
    system("rm -rf t_cli_frames");
}

static void view_without_a_display_should_suggest_export(void **s) {
    (void)s;
    static char out[8192];
    assert_int_equal(pinata("view block_on", out, sizeof out), 1);
    assert_non_null(strstr(out, "no display"));
    assert_non_null(strstr(out, "pinata export block_on -o out.png"));
    assert_int_equal(lines(out), 1);
}

static void show_without_a_display_should_write_the_files_and_say_where(void **s) {
    (void)s;
    static char out[65536];
    char cmd[1024];
    system("rm -rf t_cli_show && mkdir t_cli_show");
    snprintf(cmd, sizeof cmd, "cd t_cli_show && env -u DISPLAY -u WAYLAND_DISPLAY %s show 2>&1", PINATA_BINARY);
    FILE *p = popen(cmd, "r");
    size_t n = fread(out, 1, sizeof out - 1, p);
    out[n] = 0;
    assert_int_equal(WEXITSTATUS(pclose(p)), 0);
    assert_true(exists("t_cli_show/pinata-block_on.svg"));
    assert_true(exists("t_cli_show/pinata-block_on.png"));
    assert_non_null(strstr(out, "./pinata-block_on.svg"));
    assert_non_null(strstr(out, "the thread parks")); /* and the text timeline */
    system("rm -rf t_cli_show");
}

static void text_should_print_the_timeline_in_korean_when_asked(void **s) {
    (void)s;
    static char out[65536];
    assert_int_equal(pinata("text many_requests --lang ko --limit 20", out, sizeof out), 0);
    assert_non_null(strstr(out, "폴링한다"));
    assert_non_null(strstr(out, "단계") && strstr(out, "개 더")); /* the steps left out, in Korean */
    assert_non_null(strstr(out, "OS: 네트워크와 타이머")); /* the OS lane too */
    assert_null(strstr(out, "more steps"));
}


static void export_should_refuse_to_replace_its_input(void **s) {
    (void)s;
    static char out[8192];
    assert_int_equal(pinata("run block_on -q -o t_cli_in.svg", out, sizeof out), 0);
    long before, after;
    free(ut_slurp("t_cli_in.svg", &before));
    assert_int_equal(pinata("export t_cli_in.svg -o t_cli_in.svg", out, sizeof out), 1);
    assert_non_null(strstr(out, "t_cli_in.svg: the picture would replace the input file"));
    assert_int_equal(lines(out), 1);
    char *text = ut_slurp("t_cli_in.svg", &after);
    assert_int_equal(after, before);
    assert_int_equal(text[0], '[');
    free(text);
    remove("t_cli_in.svg");
}


/* `cat FILE | pinata ARGS`: the input arrives through a pipe, readable once. */
static int piped(const char *file, const char *args, char *out, size_t cap) {
    char cmd[2048];
    snprintf(cmd, sizeof cmd, "cat '%s' | env -u DISPLAY -u WAYLAND_DISPLAY %s %s 2>&1", file, PINATA_BINARY, args);
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    size_t n = fread(out, 1, cap - 1, p);
    out[n] = 0;
    int st = pclose(p);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static void text_should_read_a_trace_or_a_scenario_from_a_pipe(void **s) {
    (void)s;
    static char out[65536], direct[65536];
    assert_int_equal(pinata("run block_on -q -o t_cli_pipe.json", out, sizeof out), 0);
    assert_int_equal(pinata("text t_cli_pipe.json --limit 5", direct, sizeof direct), 0);
    assert_int_equal(piped("t_cli_pipe.json", "text /dev/stdin --limit 5", out, sizeof out), 0);
    assert_string_equal(out, direct);
    assert_int_equal(piped(PINATA_SOURCE_DIR "/scenarios/block_on.json", "text /dev/stdin --limit 5", out, sizeof out), 0);
    assert_non_null(strstr(out, "block_on"));
    assert_non_null(strstr(out, "more steps"));
    remove("t_cli_pipe.json");
}

static void an_endless_input_should_stop_at_the_size_cap_in_one_line(void **s) {
    (void)s;
    static char out[8192];
    assert_int_equal(pinata("text /dev/zero", out, sizeof out), 1);
    assert_string_equal(out, "pinata text: /dev/zero: larger than 16 MB: expected a scenario file of at most 16 MB\n");
    assert_int_equal(pinata("check /dev/zero", out, sizeof out), 2);
    assert_string_equal(out, "pinata check: /dev/zero: larger than 16 MB: expected a scenario file of at most 16 MB\n");
}


static void text_should_show_control_characters_from_the_trace_escaped(void **s) {
    (void)s;
    static char out[65536];
    long len;
    char *text = ut_slurp(PINATA_SOURCE_DIR "/tests/data/s02_block_on_steps.json", &len); /* JSON steps: a name may hold anything */
    assert_non_null(text);
    FILE *f = fopen("t_cli_esc.json", "wb");
    /* an OSC that would retitle the terminal in the title, bold on in the function's name */
    for (const char *p = text; *p; p++) {
        if (!strncmp(p, "\"title\": \"", 10)) { fputs("\"title\": \"\\u001b]0;pwned\\u0007", f); p += 9; }
        else if (!strncmp(p, "cheapo_request\"", 15)) { fputs("cheapo\\u001b[1m_request", f); p += 13; }
        else fputc(*p, f);
    }
    fclose(f);
    free(text);
    assert_int_equal(pinata("run t_cli_esc.json --summary -o t_cli_esc.trace.json", out, sizeof out), 0);
    assert_non_null(strstr(out, "cheapo\\x1b[1m_requ")); /* the task table */
    for (const char *p = out; *p; p++)
        if ((unsigned char)*p < 0x20 && *p != '\n') fail_msg("a raw control character 0x%02x in the output", *p);
    const char *inputs[] = {"t_cli_esc.json", "t_cli_esc.trace.json"};
    for (int i = 0; i < 2; i++) {
        char args[128];
        snprintf(args, sizeof args, "text %s --limit 3", inputs[i]);
        assert_int_equal(pinata(args, out, sizeof out), 0);
        assert_non_null(strstr(out, "pinata — \\x1b]0;pwned\\x07S2:"));
        assert_non_null(strstr(out, "cheapo\\x1b[1m_request"));
        for (const char *p = out; *p; p++)
            if ((unsigned char)*p < 0x20 && *p != '\n') fail_msg("a raw control character 0x%02x in the output", *p);
    }
    remove("t_cli_esc.json");
    remove("t_cli_esc.trace.json");
}

/* A trace re-serialized on one line (jq -c, json.dumps) tells the same story. */
static void text_of_a_trace_on_one_line_should_match_the_original(void **s) {
    (void)s;
    static char out[65536], flat_out[65536];
    assert_int_equal(pinata("run block_on -q -o t_cli_lines.json", out, sizeof out), 0);
    FILE *in = fopen("t_cli_lines.json", "r"), *o = fopen("t_cli_flat.json", "w");
    for (int c; (c = fgetc(in)) != EOF;) fputc(c == '\n' ? ' ' : c, o);
    fclose(in);
    fclose(o);
    assert_int_equal(pinata("text t_cli_lines.json --limit 0", out, sizeof out), 0);
    assert_int_equal(pinata("text t_cli_flat.json --limit 0", flat_out, sizeof flat_out), 0);
    assert_true(lines(out) > 60);
    assert_string_equal(flat_out, out);
    remove("t_cli_lines.json");
    remove("t_cli_flat.json");
}


/* show names its files after the trace's scenario name: a '/' in it must not make a path. */
static void show_should_make_a_plain_file_name_of_a_scenario_name(void **s) {
    (void)s;
    static char out[65536];
    long len;
    char *text = ut_slurp(PINATA_SOURCE_DIR "/scenarios/block_on.json", &len);
    assert_non_null(text);
    char *name = strstr(text, "\"name\": \"block_on\"");
    assert_non_null(name);
    system("rm -rf t_cli_show2 && mkdir t_cli_show2");
    FILE *f = fopen("t_cli_show2/s.json", "wb");
    fwrite(text, 1, (size_t)(name - text), f);
    fputs("\"name\": \"../up\\u001b\"", f);
    fputs(name + strlen("\"name\": \"block_on\""), f);
    fclose(f);
    free(text);
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "cd t_cli_show2 && env -u DISPLAY -u WAYLAND_DISPLAY %s show s.json 2>&1", PINATA_BINARY);
    FILE *p = popen(cmd, "r");
    size_t n = fread(out, 1, sizeof out - 1, p);
    out[n] = 0;
    assert_int_equal(WEXITSTATUS(pclose(p)), 0);
    assert_true(exists("t_cli_show2/pinata-.._up_.svg"));
    assert_true(exists("t_cli_show2/pinata-.._up_.png"));
    assert_false(exists("pinata-.._up_.svg") || exists("up\x1b.svg"));
    system("rm -rf t_cli_show2");
}

/* --model on the commands that simulate: export and text draw and narrate the run of that
 * model (the same picture as exporting `pinata run --model`'s trace, not the ideal one);
 * view and show take the same option; a word that names no model is refused in one line. */
static void every_simulating_command_should_take_the_model(void **s) {
    (void)s;
    static char out[65536];
    const char *s3 = PINATA_SOURCE_DIR "/scenarios/s03_many_requests.json";
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "run %s --model tokio -o t_cli_m.json --quiet", s3);
    assert_int_equal(pinata(cmd, out, sizeof out), 0);
    assert_int_equal(pinata("export t_cli_m.json -o t_cli_m_trace.svg", out, sizeof out), 0);
    snprintf(cmd, sizeof cmd, "export %s --model tokio -o t_cli_m_tokio.svg", s3);
    assert_int_equal(pinata(cmd, out, sizeof out), 0);
    snprintf(cmd, sizeof cmd, "export %s --model ideal -o t_cli_m_ideal.svg", s3);
    assert_int_equal(pinata(cmd, out, sizeof out), 0);
    assert_int_equal(ut_same_bytes("t_cli_m_trace.svg", "t_cli_m_tokio.svg"), 1);
    assert_int_equal(ut_same_bytes("t_cli_m_ideal.svg", "t_cli_m_tokio.svg"), 0);
    /* the text narrates block_on's polls for a sibling's wake under tokio only */
    snprintf(cmd, sizeof cmd, "text %s --model tokio", s3);
    assert_int_equal(pinata(cmd, out, sizeof out), 0);
    assert_non_null(strstr(out, "was woken: this runtime's block_on"));
    snprintf(cmd, sizeof cmd, "text %s", s3);
    assert_int_equal(pinata(cmd, out, sizeof out), 0);
    assert_null(strstr(out, "was woken: this runtime's block_on"));
    /* a trace ran already: said in one warning line, the picture is the trace's */
    assert_int_equal(pinata("text t_cli_m.json --model ideal --limit 1", out, sizeof out), 0);
    assert_non_null(strstr(out, "t_cli_m.json: a trace, run already (model tokio), shown as it ran: --model ideal would change only"));
    /* --seed too: async-std's untrusted connect wake is drawn from the seeded RNG (seed 1 has it, 42 not) */
    const char *s2 = PINATA_SOURCE_DIR "/scenarios/s02_block_on.json";
    snprintf(cmd, sizeof cmd, "text %s --model async-std --seed 1", s2);
    assert_int_equal(pinata(cmd, out, sizeof out), 0);
    assert_non_null(strstr(out, "woken by a readiness event from the reactor tick"));
    snprintf(cmd, sizeof cmd, "text %s --model async-std --seed 42", s2);
    assert_int_equal(pinata(cmd, out, sizeof out), 0);
    assert_null(strstr(out, "woken by a readiness event from the reactor tick"));
    snprintf(cmd, sizeof cmd, "export %s --seed -1 -o t_cli_m_x.png", s2);
    assert_int_equal(pinata(cmd, out, sizeof out), 2);
    assert_non_null(strstr(out, "expected an integer 0..9007199254740991 after --seed: -1"));
    const char *cmds[] = {"view", "export", "text", "show"};
    for (int i = 0; i < 4; i++) {
        snprintf(cmd, sizeof cmd, "%s %s --model smol -o t_cli_m_x.png", cmds[i], s3);
        assert_int_equal(pinata(cmd, out, sizeof out), 2);
        assert_non_null(strstr(out, "expected ideal, async-std or tokio after --model: smol"));
        assert_int_equal(lines(out), 1);
    }
    assert_false(exists("t_cli_m_x.png"));
    remove("t_cli_m.json");
    remove("t_cli_m_trace.svg");
    remove("t_cli_m_tokio.svg");
    remove("t_cli_m_ideal.svg");
}

/* A committed run that left its scenario's quiz out says so where the quiz is used (text
 * --quiz, a page), not on every picture made from it. */
static void a_trace_without_its_scenarios_quiz_should_say_so_where_the_quiz_is_used(void **s) {
    (void)s;
    static char out[65536];
    const char *want = "s08_fuse.tokio.trace.json: the scenario's own quiz is left out: its steps are its own run's, "
                       "this run has --model tokio;";
    assert_int_equal(pinata("text " PINATA_SOURCE_DIR "/traces/s08_fuse.tokio.trace.json --quiz", out, sizeof out), 0);
    assert_non_null(strstr(out, want));
    assert_non_null(strstr(out, "questions made from the run"));
    assert_int_equal(pinata("export " PINATA_SOURCE_DIR "/traces/s08_fuse.tokio.trace.json -o t_cli_q.html", out, sizeof out), 0);
    assert_non_null(strstr(out, want));
    assert_int_equal(pinata("export " PINATA_SOURCE_DIR "/traces/s08_fuse.tokio.trace.json -o t_cli_q.svg", out, sizeof out), 0);
    assert_null(strstr(out, "quiz"));
    remove("t_cli_q.html");
    remove("t_cli_q.svg");
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(export_should_write_an_svg_and_a_png_of_an_example),
        cmocka_unit_test(export_should_refuse_an_unknown_output_type_in_one_line),
        cmocka_unit_test(export_of_an_unknown_input_should_fail_in_one_line),
        cmocka_unit_test(export_of_a_trace_of_another_schema_should_fail_and_leave_no_file),
        cmocka_unit_test(export_of_a_truncated_trace_should_warn_and_draw_what_is_there),
        cmocka_unit_test(export_frames_should_write_one_png_per_step),
        cmocka_unit_test(view_without_a_display_should_suggest_export),
        cmocka_unit_test(show_without_a_display_should_write_the_files_and_say_where),
        cmocka_unit_test(show_should_make_a_plain_file_name_of_a_scenario_name),
        cmocka_unit_test(text_should_print_the_timeline_in_korean_when_asked),
        cmocka_unit_test(export_should_refuse_to_replace_its_input),
        cmocka_unit_test(text_should_read_a_trace_or_a_scenario_from_a_pipe),
        cmocka_unit_test(an_endless_input_should_stop_at_the_size_cap_in_one_line),
        cmocka_unit_test(text_should_show_control_characters_from_the_trace_escaped),
        cmocka_unit_test(text_of_a_trace_on_one_line_should_match_the_original),
        cmocka_unit_test(every_simulating_command_should_take_the_model),
        cmocka_unit_test(a_trace_without_its_scenarios_quiz_should_say_so_where_the_quiz_is_used),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
