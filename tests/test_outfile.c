/* Output files: nothing is left behind on failure, and a device is never replaced. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "trace/outfile.h"

static void a_kept_file_should_appear_under_its_name_only_at_close(void **s) {
    (void)s;
    remove("t_out.txt");
    outfile o;
    assert_non_null(outfile_open(&o, "t_out.txt"));
    fputs("hello", o.f);
    assert_int_not_equal(access("t_out.txt", F_OK), 0);
    assert_non_null(o.tmp);
    assert_non_null(strstr(o.tmp, ".pinata-t_out.txt-"));
    assert_int_equal(access(o.tmp, F_OK), 0);
    char tmp[256];
    snprintf(tmp, sizeof tmp, "%s", o.tmp);
    assert_int_equal(outfile_close(&o, 1), 0);
    assert_int_equal(access("t_out.txt", F_OK), 0);
    assert_int_not_equal(access(tmp, F_OK), 0);
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
    char tmp[256];
    snprintf(tmp, sizeof tmp, "%s", o.tmp);
    assert_int_equal(outfile_close(&o, 0), 0);
    assert_int_not_equal(access(tmp, F_OK), 0);
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


/* A fresh directory per test, so "nothing else is left" can be counted. */
static char *fresh_dir(void) {
    static char dir[64];
    snprintf(dir, sizeof dir, "t_outdir_XXXXXX");
    assert_non_null(mkdtemp(dir));
    return dir;
}

static int entries(const char *dir) {
    DIR *d = opendir(dir);
    assert_non_null(d);
    int n = 0;
    for (struct dirent *e; (e = readdir(d));) n += strcmp(e->d_name, ".") && strcmp(e->d_name, "..");
    closedir(d);
    return n;
}

static void remove_dir(const char *dir) {
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    assert_int_equal(system(cmd), 0);
}

static void write_file(const char *path, const char *text) {
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static void read_file(const char *path, char *buf, size_t cap) {
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    size_t n = fread(buf, 1, cap - 1, f);
    buf[n] = 0;
    fclose(f);
}

static void a_users_own_tmp_file_should_be_left_alone(void **s) {
    (void)s;
    char *dir = fresh_dir(), path[128], mine[160], buf[32];
    snprintf(path, sizeof path, "%s/out.json", dir);
    snprintf(mine, sizeof mine, "%s.tmp", path);
    write_file(mine, "mine");
    outfile o;
    assert_non_null(outfile_open(&o, path));
    fputs("new", o.f);
    assert_int_equal(outfile_close(&o, 1), 0);
    read_file(mine, buf, sizeof buf);
    assert_string_equal(buf, "mine");
    read_file(path, buf, sizeof buf);
    assert_string_equal(buf, "new");
    assert_int_equal(entries(dir), 2);
    remove_dir(dir);
}

static void two_writers_of_one_path_should_each_have_a_temporary_and_leave_a_whole_file(void **s) {
    (void)s;
    char *dir = fresh_dir(), path[128], buf[32];
    snprintf(path, sizeof path, "%s/out.json", dir);
    outfile a, b;
    assert_non_null(outfile_open(&a, path));
    assert_non_null(outfile_open(&b, path));
    assert_string_not_equal(a.tmp, b.tmp);
    fputs("first, longer", a.f);
    fputs("second", b.f);
    assert_int_equal(outfile_close(&b, 1), 0);
    assert_int_equal(outfile_close(&a, 1), 0);
    read_file(path, buf, sizeof buf);
    assert_string_equal(buf, "first, longer");
    assert_int_equal(entries(dir), 1);
    remove_dir(dir);
}

static void a_finished_file_should_get_the_mode_of_a_plain_create(void **s) {
    (void)s;
    char *dir = fresh_dir(), path[128];
    snprintf(path, sizeof path, "%s/out.json", dir);
    mode_t old = umask(022);
    outfile o;
    assert_non_null(outfile_open(&o, path));
    assert_int_equal(outfile_close(&o, 1), 0);
    umask(old);
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0644);
    remove_dir(dir);
}

/* A child writes half a file, guards a scratch file, and is killed by sig: it dies of sig,
 * and leaves no file. */
static void killed_by(int sig) {
    char *dir = fresh_dir(), path[128];
    snprintf(path, sizeof path, "%s/out.json", dir);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        char scratch[160];
        snprintf(scratch, sizeof scratch, "%s/scratch", dir);
        write_file(scratch, "a file of the caller's");
        if (outfile_guard(scratch) < 0) _exit(1);
        outfile o;
        if (!outfile_open(&o, path)) _exit(1);
        fputs("half", o.f);
        fflush(o.f);
        raise(sig);
        _exit(2);
    }
    int st;
    assert_int_equal(waitpid(pid, &st, 0), pid);
    assert_true(WIFSIGNALED(st));
    assert_int_equal(WTERMSIG(st), sig);
    assert_int_equal(entries(dir), 0);
    remove_dir(dir);
}

static void sigint_and_sigterm_should_remove_the_temporary_and_guarded_files(void **s) {
    (void)s;
    killed_by(SIGINT);
    killed_by(SIGTERM);
}

static void an_output_that_is_the_input_should_be_recognised(void **s) {
    (void)s;
    char *dir = fresh_dir(), a[128], a2[140], b[128], link[128], missing[128];
    snprintf(a, sizeof a, "%s/a.json", dir);
    snprintf(a2, sizeof a2, "%s/./a.json", dir);
    snprintf(b, sizeof b, "%s/b.json", dir);
    snprintf(link, sizeof link, "%s/l.json", dir);
    snprintf(missing, sizeof missing, "%s/new.json", dir);
    write_file(a, "{}");
    write_file(b, "{}");
    assert_int_equal(symlink("a.json", link), 0);
    assert_true(outfile_is_input(a, a));
    assert_true(outfile_is_input(a2, a));
    assert_true(outfile_is_input(link, a));
    assert_false(outfile_is_input(b, a));
    assert_false(outfile_is_input(missing, a));
    assert_true(outfile_is_input(missing, missing));
    assert_false(outfile_is_input("-", a));
    assert_false(outfile_is_input("/dev/null", "/dev/null"));
    remove_dir(dir);
}

static void the_message_should_say_why_from_errno(void **s) {
    (void)s;
    outfile o;
    char err[256];
    assert_null(outfile_open(&o, "/nonexistent-dir/x.txt"));
    outfile_message(err, sizeof err, "/nonexistent-dir/x.txt");
    assert_string_equal(err, "/nonexistent-dir/x.txt: cannot write: No such file or directory");
}


static void a_replaced_file_should_keep_its_mode_and_a_link_its_target(void **s) {
    (void)s;
    char *dir = fresh_dir(), path[128], link[128], buf[32];
    snprintf(path, sizeof path, "%s/out.json", dir);
    snprintf(link, sizeof link, "%s/link.json", dir);
    write_file(path, "old");
    assert_int_equal(chmod(path, 0600), 0);
    assert_int_equal(symlink("out.json", link), 0);
    outfile o;
    assert_non_null(outfile_open(&o, link));
    fputs("new", o.f);
    assert_int_equal(outfile_close(&o, 1), 0);
    struct stat st;
    assert_int_equal(lstat(link, &st), 0);
    assert_true(S_ISLNK(st.st_mode));
    read_file(path, buf, sizeof buf);
    assert_string_equal(buf, "new");
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    remove_dir(dir);
}

/* As root every file is writable: the check runs in a child that is "nobody" then. */
static void a_file_the_user_may_not_write_should_not_be_replaced(void **s) {
    (void)s;
    char *dir = fresh_dir(), path[128], buf[32];
    assert_int_equal(chmod(dir, 0777), 0); /* anyone could rename over the file */
    snprintf(path, sizeof path, "%s/ro.json", dir);
    write_file(path, "mine");
    assert_int_equal(chmod(path, 0444), 0);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        if (geteuid() == 0 && setuid(65534) != 0) _exit(3);
        outfile o;
        if (outfile_open(&o, path)) {
            fputs("replaced", o.f);
            outfile_close(&o, 1);
            _exit(1);
        }
        _exit(errno == EACCES ? 0 : 2);
    }
    int st;
    assert_int_equal(waitpid(pid, &st, 0), pid);
    assert_true(WIFEXITED(st));
    assert_int_equal(WEXITSTATUS(st), 0);
    read_file(path, buf, sizeof buf);
    assert_string_equal(buf, "mine");
    assert_int_equal(entries(dir), 1);
    remove_dir(dir);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_kept_file_should_appear_under_its_name_only_at_close),
        cmocka_unit_test(a_file_not_kept_should_leave_nothing_and_keep_the_old_one),
        cmocka_unit_test(a_device_should_be_written_in_place_not_replaced),
        cmocka_unit_test(a_missing_directory_should_fail_to_open),
        cmocka_unit_test(a_users_own_tmp_file_should_be_left_alone),
        cmocka_unit_test(two_writers_of_one_path_should_each_have_a_temporary_and_leave_a_whole_file),
        cmocka_unit_test(a_finished_file_should_get_the_mode_of_a_plain_create),
        cmocka_unit_test(sigint_and_sigterm_should_remove_the_temporary_and_guarded_files),
        cmocka_unit_test(an_output_that_is_the_input_should_be_recognised),
        cmocka_unit_test(the_message_should_say_why_from_errno),
        cmocka_unit_test(a_replaced_file_should_keep_its_mode_and_a_link_its_target),
        cmocka_unit_test(a_file_the_user_may_not_write_should_not_be_replaced),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
