/* The pinata subcommands. Each takes argv after the subcommand name (argv[0] is the
 * subcommand itself) and returns the process exit status. */
#ifndef PINATA_COMMANDS_H
#define PINATA_COMMANDS_H
#include "sim/scenario.h"

int cmd_run(int argc, char **argv);    /* cli/cmd_run.c */
int cmd_list(int argc, char **argv);   /* cli/cmd_run.c */
int cmd_view(int argc, char **argv);   /* cli/cmd_viz.c: the SDL window */
int cmd_export(int argc, char **argv); /* cli/cmd_viz.c: SVG / PNG / frames */
int cmd_text(int argc, char **argv);   /* cli/cmd_viz.c: text timeline for terminals */
int cmd_show(int argc, char **argv);   /* cli/cmd_viz.c: the main job: window if a display, else export + text */
int cmd_check(int argc, char **argv);  /* cli/cmd_scenario.c: validate a scenario file without running it */
int cmd_bench(int argc, char **argv);  /* cli/cmd_bench.c: tasks versus threads, measured on this machine */

/* --param KEY=VALUE, at most MAX_PARAMS of them: splits kv in place into p; 0, or -1 when
 * there is no '=' after a key (cli/cmd_run.c). */
#define MAX_PARAMS 16
int cli_parse_param(char *kv, scenario_param *p);

/* --model ideal|async-std|tokio: the runner_opts.model value (1 + exec_model), or -1 when
 * name is none of them (cli/cmd_run.c). Every command that simulates takes it. */
#define CLI_MODEL_EXPECTED "expected ideal, async-std or tokio"
int cli_parse_model(const char *name);

/* --seed N: 0..2^53-1 (what a scenario's "seed", a JSON number, holds exactly) into *seed;
 * 0, or -1 for anything else (cli/cmd_run.c). */
#define CLI_SEED_EXPECTED "expected an integer 0..9007199254740991"
int cli_parse_seed(const char *s, uint64_t *seed);

#endif
