/* pinata check: validate scenario files without running them. */
#include <stdio.h>
#include <string.h>

#include "cli/commands.h"
#include "sim/runner.h"

static void check_usage(FILE *f) {
    fprintf(f, "usage: pinata check SCENARIO.json...\n\n"
               "Loads each scenario file and checks it as `pinata run` would — the JSON, every field,\n"
               "the names of hosts and functions, await cycles, the values passed to each call —\n"
               "without running it. Prints 'FILE: ok' or one line 'FILE: JSON.path: what was expected'.\n"
               "Exit status: 0 all valid, 2 at least one is not.\n");
}

int cmd_check(int argc, char **argv) {
    if (argc < 2) { check_usage(stderr); return 2; }
    if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) { check_usage(stdout); return 0; }
    int bad = 0;
    for (int i = 1; i < argc; i++) {
        char err[768];
        if (runner_check(argv[i], NULL, err, sizeof err) == RUNNER_OK) printf("%s: ok\n", argv[i]);
        else { fprintf(stderr, "pinata check: %s\n", err); bad = 1; }
    }
    return bad ? 2 : 0;
}
