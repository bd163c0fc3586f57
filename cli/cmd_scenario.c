/* pinata check: validate a scenario file without running it. */
#include <stdio.h>
#include <string.h>

#include "cli/commands.h"

int cmd_check(int argc, char **argv) {
    if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
        printf("usage: pinata check SCENARIO.json...\n");
        return argc < 2 ? 2 : 0;
    }
    fprintf(stderr, "pinata check: not implemented yet\n");
    return 2;
}
