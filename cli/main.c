/* pinata: the command-line entry point. Dispatches to the subcommands in commands.h. */
#include <stdio.h>
#include <string.h>

#include "cli/commands.h"
#include "cli/errline.h"

typedef struct command {
    const char *name;
    int (*fn)(int, char **);
    const char *help;
} command;

static const command commands[] = {
    {"show", cmd_show, "simulate the default example and show it (window, or files + text without a display)"},
    {"run", cmd_run, "run an example or scenario and write its trace"},
    {"list", cmd_list, "list the built-in examples"},
    {"view", cmd_view, "open the interactive viewer on a trace, example or scenario"},
    {"export", cmd_export, "export the diagram as SVG or PNG (or one PNG per step)"},
    {"text", cmd_text, "print a text timeline for terminals"},
    {"check", cmd_check, "validate a scenario file without running it"},
    {"bench", cmd_bench, "measure tasks versus threads on this machine"},
};

static void usage(FILE *f) {
    fprintf(f, "usage: pinata COMMAND [ARGS]\n\n"
               "pinata simulates async Rust poll timelines and draws them.\n\ncommands:\n");
    for (size_t i = 0; i < sizeof commands / sizeof *commands; i++)
        fprintf(f, "  %-8s %s\n", commands[i].name, commands[i].help);
    fprintf(f, "\n`pinata COMMAND --help` tells more about each.\n");
}

int main(int argc, char **argv) {
    if (argc < 2) return cmd_show(1, (char *[]){"show", NULL});
    if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
        usage(stdout);
        return 0;
    }
    for (size_t i = 0; i < sizeof commands / sizeof *commands; i++)
        if (!strcmp(argv[1], commands[i].name)) return commands[i].fn(argc - 1, argv + 1);
    errline(NULL, "unknown command '%s' (try `pinata --help`)", argv[1]);
    return 2;
}
