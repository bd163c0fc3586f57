/* pinata check: validate scenario files without running them. */
#include <stdio.h>
#include <string.h>

#include "cli/commands.h"
#include "cli/errline.h"
#include "sim/runner.h"

#define MAX_PARAMS 16

static void check_usage(FILE *f) {
    fprintf(f, "usage: pinata check [--param KEY=VALUE]... SCENARIO.json...\n\n"
               "Loads each scenario file and checks it as `pinata run` would — the JSON, every field,\n"
               "the names of hosts and functions, await cycles, the values passed to each call —\n"
               "without running it. Prints 'FILE: ok' or one line 'FILE: JSON.path: what was expected'.\n"
               "Exit status: 0 all valid, 2 at least one is not.\n");
}

static int check_one(const char *path, const runner_opts *o) {
    char err[768];
    if (runner_check(path, o, err, sizeof err) == RUNNER_OK) {
        printf("%s: ok\n", errline_safe(err, sizeof err, path));
        return 0;
    }
    errline("check", "%s", err);
    return 1;
}

int cmd_check(int argc, char **argv) {
    scenario_param params[MAX_PARAMS];
    runner_opts o = {.params = params};
    int bad = 0, files = 0;
    for (int i = 1; i < argc; i++) {
        char *a = argv[i], *eq;
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) { check_usage(stdout); return 0; }
        if (!strcmp(a, "--param") && i + 1 < argc && o.nparams < MAX_PARAMS && (eq = strchr(argv[i + 1], '=')) &&
            eq != argv[i + 1]) {
            *eq = 0;
            params[o.nparams++] = (scenario_param){argv[++i], eq + 1};
            continue;
        }
        if (a[0] == '-') {
            errline("check", "unknown or incomplete option '%s' (try `pinata check --help`)", a);
            return 2;
        }
        bad |= check_one(a, &o);
        files++;
    }
    if (!files) { check_usage(stderr); return 2; }
    return bad ? 2 : 0;
}
