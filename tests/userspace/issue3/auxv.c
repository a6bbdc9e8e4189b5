/* auxv — proves the auxiliary vector is Linux's (design.md decision 4):
 * every key there, once each, in fs/binfmt_elf.c create_elf_tables order,
 * with values that check out (AT_PHDR is our program headers, AT_ENTRY our
 * _start, AT_EXECFN the path executed, AT_SYSINFO_EHDR an ELF header,
 * AT_SYSINFO the vDSO's entry and present only for i386, ...). Printed in
 * LD_SHOW_AUXV style, with machine-dependent values replaced by what was
 * checked, so the output is the same on Linux and Forkline.
 */
#include "t.h"
#include <elf.h>
#include <sys/auxv.h>

#ifndef AT_MINSIGSTKSZ
#define AT_MINSIGSTKSZ 51
#endif

#ifdef __x86_64__
typedef Elf64_auxv_t auxv_t;
typedef Elf64_Ehdr ehdr_t;
typedef Elf64_Phdr phdr_t;
#define PLATFORM "x86_64"
#define CLASS ELFCLASS64
#define MACHINE EM_X86_64
#else
typedef Elf32_auxv_t auxv_t;
typedef Elf32_Ehdr ehdr_t;
typedef Elf32_Phdr phdr_t;
#define PLATFORM "i686"
#define CLASS ELFCLASS32
#define MACHINE EM_386
#endif

extern const ehdr_t __ehdr_start; /* our own ELF header (GNU ld) */
extern char _start[];
extern char **environ;

/* The keys, in the order Linux's create_elf_tables writes them. */
static const struct { unsigned long key; const char *name; } order[] = {
#ifdef __i386__
	{ AT_SYSINFO, "AT_SYSINFO" },
#endif
	{ AT_SYSINFO_EHDR, "AT_SYSINFO_EHDR" }, { AT_MINSIGSTKSZ, "AT_MINSIGSTKSZ" },
	{ AT_HWCAP, "AT_HWCAP" }, { AT_PAGESZ, "AT_PAGESZ" }, { AT_CLKTCK, "AT_CLKTCK" },
	{ AT_PHDR, "AT_PHDR" }, { AT_PHENT, "AT_PHENT" }, { AT_PHNUM, "AT_PHNUM" },
	{ AT_BASE, "AT_BASE" }, { AT_FLAGS, "AT_FLAGS" }, { AT_ENTRY, "AT_ENTRY" },
	{ AT_UID, "AT_UID" }, { AT_EUID, "AT_EUID" }, { AT_GID, "AT_GID" },
	{ AT_EGID, "AT_EGID" }, { AT_SECURE, "AT_SECURE" }, { AT_RANDOM, "AT_RANDOM" },
	{ AT_HWCAP2, "AT_HWCAP2" }, { AT_EXECFN, "AT_EXECFN" }, { AT_PLATFORM, "AT_PLATFORM" },
};
#define NKEYS (sizeof order / sizeof order[0])

/* The raw vector, which follows envp's NULL on the initial stack. */
static const auxv_t *raw_auxv(void)
{
	char **e = environ;
	while (*e)
		e++;
	return (const auxv_t *)(e + 1);
}

/* The kernel's value for key (getauxval can differ: glibc x86_64 puts its
   own bits in AT_HWCAP). Returns 0 with *found = 0 when absent. */
static unsigned long raw_value(unsigned long key, int *found)
{
	for (const auxv_t *a = raw_auxv(); a->a_type != AT_NULL; a++)
		if (a->a_type == key) {
			*found = 1;
			return a->a_un.a_val;
		}
	*found = 0;
	return 0;
}

/* Check one key's value; returns what to print in place of the value. */
static const char *check(unsigned long key, unsigned long v)
{
	static char buf[64];
	int found;
	const ehdr_t *vdso = (const ehdr_t *)raw_value(AT_SYSINFO_EHDR, &found);
	(void)found;
	switch (key) {
	case AT_SYSINFO:
		t_ok(vdso && v == (unsigned long)vdso + vdso->e_entry, "AT_SYSINFO is the vDSO's entry point");
		return "vDSO entry (__kernel_vsyscall)";
	case AT_SYSINFO_EHDR:
		t_ok(v % 4096 == 0 && !memcmp((void *)v, ELFMAG, SELFMAG) &&
			     ((const ehdr_t *)v)->e_ident[EI_CLASS] == CLASS &&
			     ((const ehdr_t *)v)->e_type == ET_DYN && ((const ehdr_t *)v)->e_machine == MACHINE,
		     "AT_SYSINFO_EHDR is a page-aligned ELF ET_DYN header of our class");
		return "vDSO ELF header";
	case AT_MINSIGSTKSZ:
		t_ok(v >= 512 && v < (1 << 20), "AT_MINSIGSTKSZ is a plausible signal frame size");
		return "plausible";
	case AT_HWCAP:
		t_ok(v & 1, "AT_HWCAP is CPUID.1:EDX (FPU bit set)");
		return "CPUID.1:EDX";
	case AT_PHDR:
		t_ok(v == (unsigned long)&__ehdr_start + __ehdr_start.e_phoff, "AT_PHDR points at our program headers");
		return "our program headers";
	case AT_PHNUM:
		t_eq(v, __ehdr_start.e_phnum, "AT_PHNUM matches e_phnum");
		return "e_phnum";
	case AT_ENTRY:
		t_ok(v == (unsigned long)_start, "AT_ENTRY is _start");
		return "_start";
	case AT_UID: t_eq(v, getuid(), "AT_UID is getuid()"); return "getuid()";
	case AT_EUID: t_eq(v, geteuid(), "AT_EUID is geteuid()"); return "geteuid()";
	case AT_GID: t_eq(v, getgid(), "AT_GID is getgid()"); return "getgid()";
	case AT_EGID: t_eq(v, getegid(), "AT_EGID is getegid()"); return "getegid()";
	case AT_RANDOM: {
		const unsigned char *r = (const unsigned char *)v;
		int nonzero = 0;
		for (int i = 0; i < 16; i++)
			nonzero |= r[i];
		t_ok(nonzero, "AT_RANDOM points at 16 bytes, not all zero");
		return "16 random bytes";
	}
	case AT_HWCAP2:
		return "present";
	case AT_EXECFN:
		t_ok(!strcmp((const char *)v, t_self), "AT_EXECFN is the path executed");
		return "the path executed";
	case AT_PLATFORM:
		t_ok(!strcmp((const char *)v, PLATFORM), "AT_PLATFORM is " PLATFORM);
		return (const char *)v;
	}
	/* AT_PAGESZ, AT_CLKTCK, AT_PHENT, AT_BASE, AT_FLAGS, AT_SECURE: the
	   value itself is the same everywhere. */
	snprintf(buf, sizeof buf, "%lu", v);
	return buf;
}

int main(int argc, char **argv)
{
	(void)argc, (void)argv;
	for (unsigned i = 0; i < NKEYS; i++) {
		int found;
		unsigned long v = raw_value(order[i].key, &found);
		if (!found) {
			printf("%-20s (missing)\n", order[i].name);
			t_check(0, order[i].name, "missing from the auxiliary vector");
			continue;
		}
		char label[32];
		snprintf(label, sizeof label, "%s:", order[i].name);
		const char *shown = check(order[i].key, v);
		printf("%-20s %s\n", label, shown);
	}
	/* The C library read the same vector. */
	int found;
	t_ok(getauxval(AT_RANDOM) == raw_value(AT_RANDOM, &found) && getauxval(AT_PHDR) == raw_value(AT_PHDR, &found),
	     "getauxval() agrees with the raw vector");
	errno = 0;
	t_ok(getauxval(0x7ff) == 0 && errno == ENOENT, "getauxval of an absent key: 0, ENOENT");
	t_eq(getauxval(AT_PAGESZ), 4096, "AT_PAGESZ is 4096");
	t_eq(getauxval(AT_CLKTCK), 100, "AT_CLKTCK is 100 (USER_HZ)");
	t_eq(getauxval(AT_PHENT), sizeof(phdr_t), "AT_PHENT is sizeof(Elf_Phdr)");
	t_eq(getauxval(AT_BASE), 0, "AT_BASE is 0 (no interpreter)");
	t_eq(getauxval(AT_FLAGS), 0, "AT_FLAGS is 0");
	t_eq(getauxval(AT_SECURE), 0, "AT_SECURE is 0");

	/* Order and uniqueness in the raw vector. Linux may add keys newer
	   than decision 4 (AT_RSEQ_*); Forkline must have exactly these. */
	const auxv_t *av = raw_auxv();
	int n = 0;
	while (av[n].a_type != AT_NULL)
		n++;
	unsigned next = 0;
	int in_order = 1, once = 1, extra = 0, has_sysinfo = 0;
	for (int i = 0; i < n; i++) {
		unsigned long k = av[i].a_type;
		has_sysinfo |= k == AT_SYSINFO;
		unsigned j = 0;
		while (j < NKEYS && order[j].key != k)
			j++;
		if (j == NKEYS) {
			extra++;
			t_info("extra key %lu", k);
			continue;
		}
		for (int m = 0; m < i; m++)
			once &= av[m].a_type != k;
		in_order &= j >= next;
		next = j;
	}
	t_ok(in_order, "keys are in create_elf_tables order");
	t_ok(once, "no key appears twice");
#ifdef __i386__
	t_ok(has_sysinfo, "AT_SYSINFO present for an i386 process");
#else
	t_ok(!has_sysinfo, "no AT_SYSINFO for an x86_64 process");
#endif
	if (t_is_forkline())
		t_check_here(extra == 0, "Forkline gives no keys beyond design.md decision 4", "%d extra", extra);
	return t_done();
}
