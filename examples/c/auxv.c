/* auxv: print this process's auxiliary vector exactly as glibc does for
   LD_SHOW_AUXV=1 (glibc 2.36, elf/dl-sysdep.c: _dl_show_auxv), so the output
   of this program on Forkline can be laid beside `LD_SHOW_AUXV=1 /bin/true`
   on Linux line by line.

   The auxiliary vector is what the kernel's create_elf_tables (Linux's
   fs/binfmt_elf.c; Forkline's kernel/libs/binfmt) leaves on the new
   process's stack above the environment:

       argc | argv[0..argc-1] NULL | envp[..] NULL | (type, value) pairs … AT_NULL

   so main's third argument, the original envp, leads straight to it. */
#include <stdio.h>
#include <sys/auxv.h>

/* How glibc prints a value. */
enum form { UNKNOWN, DEC, HEX, STR, IGNORE };

struct label {
	const char *text; /* everything after "AT_" up to the value */
	enum form form;
};

/* glibc's table (the MINSIGSTKSZ label has its colon since 2.36). */
static const struct label labels[] = {
	[2] = {"EXECFD:            ", DEC},
	[3] = {"PHDR:              0x", HEX},
	[4] = {"PHENT:             ", DEC},
	[5] = {"PHNUM:             ", DEC},
	[6] = {"PAGESZ:            ", DEC},
	[7] = {"BASE:              0x", HEX},
	[8] = {"FLAGS:             0x", HEX},
	[9] = {"ENTRY:             0x", HEX},
	[10] = {"NOTELF:            ", HEX},
	[11] = {"UID:               ", DEC},
	[12] = {"EUID:              ", DEC},
	[13] = {"GID:               ", DEC},
	[14] = {"EGID:              ", DEC},
	[15] = {"PLATFORM:          ", STR},
	[16] = {"HWCAP:             ", HEX},
	[17] = {"CLKTCK:            ", DEC},
	[18] = {"FPUCW:             ", HEX},
	[19] = {"DCACHEBSIZE:       0x", HEX},
	[20] = {"ICACHEBSIZE:       0x", HEX},
	[21] = {"UCACHEBSIZE:       0x", HEX},
	[22] = {"IGNOREPPC", IGNORE},
	[23] = {"SECURE:            ", DEC},
	[24] = {"BASE_PLATFORM:     ", STR},
	[25] = {"RANDOM:            0x", HEX},
	[26] = {"HWCAP2:            0x", HEX},
	[31] = {"EXECFN:            ", STR},
	[32] = {"SYSINFO:           0x", HEX},
	[33] = {"SYSINFO_EHDR:      0x", HEX},
	[40] = {"L1I_CACHESIZE:     ", DEC},
	[41] = {"L1I_CACHEGEOMETRY: 0x", HEX},
	[42] = {"L1D_CACHESIZE:     ", DEC},
	[43] = {"L1D_CACHEGEOMETRY: 0x", HEX},
	[44] = {"L2_CACHESIZE:      ", DEC},
	[45] = {"L2_CACHEGEOMETRY:  0x", HEX},
	[46] = {"L3_CACHESIZE:      ", DEC},
	[47] = {"L3_CACHEGEOMETRY:  0x", HEX},
	[51] = {"MINSIGSTKSZ:       ", DEC},
};
#define NLABELS (sizeof labels / sizeof labels[0])

#ifdef __i386__
/* glibc's i386 _dl_procinfo prints AT_HWCAP as names, from this table
   (sysdeps/x86/dl-procinfo.c: CPUID 1's EDX bits, as Linux names them). */
static const char cap_flags[32][8] = {
	"fpu", "vme", "de", "pse", "tsc", "msr", "pae", "mce",
	"cx8", "apic", "10", "sep", "mtrr", "pge", "mca", "cmov",
	"pat", "pse36", "pn", "clflush", "20", "dts", "acpi", "mmx",
	"fxsr", "sse", "sse2", "ss", "ht", "tm", "ia64", "pbe",
};

/* AT_HWCAP the i386 way: "AT_HWCAP:   " and " name" per set bit. */
static void show_hwcap(unsigned long word)
{
	printf("AT_HWCAP:   ");
	for (int i = 0; i < 32; i++)
		if (word & (1UL << i))
			printf(" %s", cap_flags[i]);
	printf("\n");
}
#endif

/* One entry, as _dl_show_auxv prints it. */
static void show(unsigned long type, unsigned long val)
{
	if (type < 2)
		return; /* AT_NULL, AT_IGNORE */
#ifdef __i386__
	if (type == AT_HWCAP) {
		show_hwcap(val);
		return;
	}
#endif
	const struct label *l = type < NLABELS ? &labels[type] : 0;
	if (l && l->form == IGNORE)
		return;
	if (!l || l->form == UNKNOWN) {
		printf("AT_??? (0x%lx): 0x%lx\n", type, val);
		return;
	}
	switch (l->form) {
	case DEC:
		printf("AT_%s%lu\n", l->text, val);
		break;
	case HEX:
		printf("AT_%s%lx\n", l->text, val);
		break;
	default:
		printf("AT_%s%s\n", l->text, (const char *)val);
		break;
	}
}

/* Walk past the environment to the vector and print every entry. */
int main(int argc, char **argv, char **envp)
{
	(void)argc;
	(void)argv;
	char **p = envp;
	while (*p)
		p++;
	for (unsigned long *av = (unsigned long *)(p + 1); av[0] != AT_NULL; av += 2)
		show(av[0], av[1]);
	return 0;
}
