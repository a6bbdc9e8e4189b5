/* rlimit — proves resource limits: getrlimit and the raw prlimit64 agree,
 * the runner's RLIMIT_CORE of 0 was inherited, setrlimit lowers a soft
 * limit and getrlimit sees it, and Linux's errors (soft above hard, unknown
 * resource, unknown pid).
 */
#include "t.h"
#include <sys/resource.h>

struct rlimit64_raw { uint64_t cur, max; };

int main(int argc, char **argv)
{
	(void)argc, (void)argv;
	struct rlimit r, r2;
	t_ok(getrlimit(RLIMIT_STACK, &r) == 0 && r.rlim_cur > 0 && (r.rlim_max == RLIM_INFINITY || r.rlim_cur <= r.rlim_max),
	     "RLIMIT_STACK: 0 < soft <= hard");
	t_ok(getrlimit(RLIMIT_NOFILE, &r) == 0 && r.rlim_cur >= 3, "RLIMIT_NOFILE: at least 3");
	struct rlimit64_raw raw;
	long ret = syscall(SYS_prlimit64, 0, RLIMIT_NOFILE, NULL, &raw);
	t_check(ret == 0 && raw.cur == (uint64_t)r.rlim_cur, "prlimit64(0, RLIMIT_NOFILE) agrees with getrlimit",
		"ret %ld (%s), %llu vs %llu", ret, errname(errno), (unsigned long long)raw.cur,
		(unsigned long long)r.rlim_cur);
	t_ok(getrlimit(RLIMIT_CORE, &r2) == 0 && r2.rlim_cur == 0, "RLIMIT_CORE soft limit 0, inherited from the runner");
	struct rlimit lower = { 32, r.rlim_max };
	t_sys(setrlimit(RLIMIT_NOFILE, &lower), "setrlimit(RLIMIT_NOFILE) to 32");
	t_ok(getrlimit(RLIMIT_NOFILE, &r2) == 0 && r2.rlim_cur == 32 && r2.rlim_max == r.rlim_max, "getrlimit sees 32");
	struct rlimit64_raw set = { 40, raw.max }, old;
	ret = syscall(SYS_prlimit64, 0, RLIMIT_NOFILE, &set, &old);
	t_check(ret == 0 && old.cur == 32, "prlimit64 sets and returns the old value", "ret %ld old %llu", ret,
		(unsigned long long)old.cur);
	t_ok(getrlimit(RLIMIT_NOFILE, &r2) == 0 && r2.rlim_cur == 40, "getrlimit sees 40");
	if (r.rlim_max != RLIM_INFINITY) {
		struct rlimit above = { r.rlim_max + 1, r.rlim_max };
		t_err(setrlimit(RLIMIT_NOFILE, &above), EINVAL, "soft limit above the hard limit -> EINVAL");
	}
	t_err(syscall(SYS_prlimit64, 0, 100, NULL, &raw), EINVAL, "unknown resource -> EINVAL");
	t_err(syscall(SYS_prlimit64, 0x3ffffff0, RLIMIT_NOFILE, NULL, &raw), ESRCH, "prlimit64 of a pid that does not exist -> ESRCH");
#ifdef __i386__
	struct { uint32_t cur, max; } u;
	t_ok(syscall(SYS_ugetrlimit, RLIMIT_NOFILE, &u) == 0 && u.cur == 40, "ugetrlimit system call (i386)");
#endif
	return t_done();
}
