/* Output files: nothing is left behind on failure, and a device is never replaced. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sim/outfile.h"

static void a_kept_file_should_appear_under_its_name_only_at_close(void **s) {
    (void)s;
    remove("t_out.txt");
    outfile o;
    assert_non_null(outfile_open(&o, "t_out.txt"));
    fputs("hello", o.f);
    assert_int_not_equal(access("t_out.txt", F_OK), 0);
    assert_int_equal(access("t_out.txt.tmp", F_OK), 0);
    assert_int_equal(outfile_close(&o, 1), 0);
    assert_int_equal(access("t_out.txt", F_OK), 0);
    assert_int_not_equal(access("t_out.txt.tmp", F_OK), 0);
    remove("t_out.txt");
}

static void a_file_not_kept_should_leave_nothing_and_keep_the_old_one(void **s) {
    (void)s;
    FILE *old = fopen("t_out_old.txt", "w");
    fputs("old", old);
    fclose(old);
    outfile o;
    assert_non_null(outfile_open(&o, "t_out_old.txt"));
    fputs("new, half written", o.f);
    assert_int_equal(outfile_close(&o, 0), 0);
    assert_int_not_equal(access("t_out_old.txt.tmp", F_OK), 0);
    char buf[16] = {0};
    FILE *f = fopen("t_out_old.txt", "r");
    assert_non_null(fgets(buf, sizeof buf, f));
    fclose(f);
    assert_string_equal(buf, "old");
    remove("t_out_old.txt");
}

static void a_device_should_be_written_in_place_not_replaced(void **s) {
    (void)s;
    outfile o;
    assert_non_null(outfile_open(&o, "/dev/null"));
    assert_null(o.tmp);
    fputs("x", o.f);
    assert_int_equal(outfile_close(&o, 1), 0);
    struct stat st;
    assert_int_equal(stat("/dev/null", &st), 0);
    assert_true(S_ISCHR(st.st_mode));
}

static void a_missing_directory_should_fail_to_open(void **s) {
    (void)s;
    outfile o;
    assert_null(outfile_open(&o, "/nonexistent-dir/x.txt"));
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_kept_file_should_appear_under_its_name_only_at_close),
        cmocka_unit_test(a_file_not_kept_should_leave_nothing_and_keep_the_old_one),
        cmocka_unit_test(a_device_should_be_written_in_place_not_replaced),
        cmocka_unit_test(a_missing_directory_should_fail_to_open),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
