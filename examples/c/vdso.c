/* vdso: find the vDSO the kernel mapped into this process (AT_SYSINFO_EHDR)
   and list its dynamic symbols with their versions, as
   `readelf --dyn-syms -V` would for the image, reduced to what matters:
   name@@VERSION, address, size, type, binding. On i386 it also decodes the
   bytes of __kernel_vsyscall (the AT_SYSINFO entry point libc calls for
   every system call) to show which way into the kernel the kernel chose at
   boot for this CPU: sysenter (Intel), syscall (AMD) or int $0x80.

   The image is read in place, through its PT_DYNAMIC segment only: a vDSO
   has section headers too, but a loader (and this program) needs none. */
#include <elf.h>
#include <stdio.h>
#include <string.h>
#include <sys/auxv.h>

#ifdef __x86_64__
#define ElfW(t) Elf64_##t
#define ST_TYPE ELF64_ST_TYPE
#define ST_BIND ELF64_ST_BIND
#define CLASS "ELF64 x86-64"
#else
#define ElfW(t) Elf32_##t
#define ST_TYPE ELF32_ST_TYPE
#define ST_BIND ELF32_ST_BIND
#define CLASS "ELF32 i386"
#endif

/* What PT_DYNAMIC tells about the image, as run-time pointers. */
struct image {
	unsigned long base, bias; /* mapped at base; bias = base - vaddr of offset 0 */
	const ElfW(Sym) *symtab;
	const char *strtab;
	const Elf32_Word *hash;     /* DT_HASH (4-byte words on both classes) */
	const Elf32_Word *gnu_hash; /* DT_GNU_HASH */
	const ElfW(Versym) *versym;
	const ElfW(Verdef) *verdef;
	const char *soname;
	unsigned nsyms;
};

/* Parse the ELF header and the dynamic section; 0 when it is no vDSO. */
static int load(unsigned long base, struct image *im)
{
	const ElfW(Ehdr) *eh = (const ElfW(Ehdr) *)base;
	memset(im, 0, sizeof *im);
	im->base = base;
	if (memcmp(eh->e_ident, ELFMAG, SELFMAG) != 0 || eh->e_type != ET_DYN)
		return 0;
	const ElfW(Phdr) *ph = (const ElfW(Phdr) *)(base + eh->e_phoff);
	const ElfW(Dyn) *dyn = 0;
	for (int i = 0; i < eh->e_phnum; i++)
		if (ph[i].p_type == PT_LOAD && ph[i].p_offset == 0)
			im->bias = base - ph[i].p_vaddr;
	for (int i = 0; i < eh->e_phnum; i++)
		if (ph[i].p_type == PT_DYNAMIC)
			dyn = (const ElfW(Dyn) *)(im->bias + ph[i].p_vaddr);
	if (!dyn)
		return 0;
	unsigned long soname = 0;
	int have_soname = 0;
	for (; dyn->d_tag != DT_NULL; dyn++) {
		unsigned long p = im->bias + dyn->d_un.d_ptr;
		switch (dyn->d_tag) {
		case DT_SYMTAB: im->symtab = (const ElfW(Sym) *)p; break;
		case DT_STRTAB: im->strtab = (const char *)p; break;
		case DT_HASH: im->hash = (const Elf32_Word *)p; break;
		case DT_GNU_HASH: im->gnu_hash = (const Elf32_Word *)p; break;
		case DT_VERSYM: im->versym = (const ElfW(Versym) *)p; break;
		case DT_VERDEF: im->verdef = (const ElfW(Verdef) *)p; break;
		case DT_SONAME: soname = dyn->d_un.d_val; have_soname = 1; break;
		}
	}
	if (!im->symtab || !im->strtab)
		return 0;
	im->soname = have_soname ? im->strtab + soname : "?";
	return 1;
}

/* How many symbols .dynsym holds: DT_HASH says so (nchain); DT_GNU_HASH
   only implies it, as one past the last symbol of the longest chain. */
static unsigned count_symbols(const struct image *im)
{
	if (im->hash)
		return im->hash[1];
	if (!im->gnu_hash)
		return 0;
	const Elf32_Word *h = im->gnu_hash;
	Elf32_Word nbuckets = h[0], symoffset = h[1], bloom_words = h[2];
	const Elf32_Word *buckets = (const Elf32_Word *)((const ElfW(Addr) *)(h + 4) + bloom_words);
	const Elf32_Word *chain = buckets + nbuckets;
	unsigned last = 0;
	for (Elf32_Word b = 0; b < nbuckets; b++)
		if (buckets[b] > last)
			last = buckets[b];
	if (last < symoffset)
		return symoffset;
	while (!(chain[last - symoffset] & 1))
		last++;
	return last + 1;
}

/* The Verdef whose index is `ndx`, or NULL. */
static const ElfW(Verdef) *find_version(const struct image *im, unsigned ndx)
{
	for (const ElfW(Verdef) *vd = im->verdef; vd;
	     vd = vd->vd_next ? (const ElfW(Verdef) *)((const char *)vd + vd->vd_next) : 0)
		if (vd->vd_ndx == ndx)
			return vd;
	return 0;
}

/* A version's name: the first Verdaux of its Verdef. */
static const char *version_name(const struct image *im, const ElfW(Verdef) *vd)
{
	const ElfW(Verdaux) *aux = (const ElfW(Verdaux) *)((const char *)vd + vd->vd_aux);
	return im->strtab + aux->vda_name;
}

/* The version definitions, as `readelf -V` lists them. */
static void show_versions(const struct image *im)
{
	printf("Version definitions:\n");
	for (const ElfW(Verdef) *vd = im->verdef; vd;
	     vd = vd->vd_next ? (const ElfW(Verdef) *)((const char *)vd + vd->vd_next) : 0)
		printf("  %u %s%s\n", vd->vd_ndx, version_name(im, vd),
		       vd->vd_flags & VER_FLG_BASE ? " (BASE)" : "");
}

/* readelf's name for a symbol type. */
static const char *type_name(unsigned t)
{
	static const char *names[] = {"NOTYPE", "OBJECT", "FUNC", "SECTION", "FILE"};
	return t < 5 ? names[t] : "OTHER";
}

/* readelf's name for a symbol binding. */
static const char *bind_name(unsigned b)
{
	static const char *names[] = {"LOCAL", "GLOBAL", "WEAK"};
	return b < 3 ? names[b] : "OTHER";
}

/* Every dynamic symbol but the null one: address, size, type, binding and
   name@@VERSION (name@VERSION when hidden). ABS symbols are the version
   definitions' own markers: their value is no address. */
static void show_symbols(const struct image *im)
{
	printf("Dynamic symbols (%u):\n", im->nsyms - 1);
	printf("  %-*s  Size Type   Bind   Name\n", (int)(2 * sizeof(long) + 2), "Address");
	for (unsigned i = 1; i < im->nsyms; i++) {
		const ElfW(Sym) *s = &im->symtab[i];
		unsigned long addr = s->st_shndx == SHN_ABS ? s->st_value : im->bias + s->st_value;
		printf("  0x%0*lx %5lu %-6s %-6s %s", (int)(2 * sizeof(long)), addr,
		       (unsigned long)s->st_size, type_name(ST_TYPE(s->st_info)),
		       bind_name(ST_BIND(s->st_info)), im->strtab + s->st_name);
		unsigned v = im->versym ? im->versym[i] : 0;
		const ElfW(Verdef) *vd = find_version(im, v & VERSYM_VERSION);
		if ((v & VERSYM_VERSION) > VER_NDX_GLOBAL && vd &&
		    strcmp(version_name(im, vd), im->strtab + s->st_name) != 0)
			printf("%s%s", v & VERSYM_HIDDEN ? "@" : "@@", version_name(im, vd));
		printf("%s\n", s->st_shndx == SHN_ABS ? "  (ABS: version definition)" : "");
	}
}

#ifdef __i386__
/* The address of dynamic symbol `name`, and its size; 0 when absent. */
static unsigned long lookup(const struct image *im, const char *name, unsigned long *size)
{
	for (unsigned i = 1; i < im->nsyms; i++)
		if (strcmp(im->strtab + im->symtab[i].st_name, name) == 0) {
			*size = im->symtab[i].st_size;
			return im->bias + im->symtab[i].st_value;
		}
	return 0;
}

static const char *reg32[8] = {"%eax", "%ecx", "%edx", "%ebx", "%esp", "%ebp", "%esi", "%edi"};

/* Decode one instruction of the few kinds a __kernel_vsyscall holds (push,
   pop, mov between registers, NOPs, the three kernel entries, ret) into
   `text`; returns its length, 0 if unknown. `*entry` names an entry. */
static int decode(const unsigned char *p, char *text, size_t n, const char **entry)
{
	*entry = 0;
	if (p[0] >= 0x50 && p[0] <= 0x57)
		return snprintf(text, n, "push   %s", reg32[p[0] - 0x50]), 1;
	if (p[0] >= 0x58 && p[0] <= 0x5f)
		return snprintf(text, n, "pop    %s", reg32[p[0] - 0x58]), 1;
	if (p[0] == 0x89 && (p[1] >> 6) == 3)
		return snprintf(text, n, "mov    %s,%s", reg32[(p[1] >> 3) & 7], reg32[p[1] & 7]), 2;
	if (p[0] == 0x90)
		return snprintf(text, n, "nop"), 1;
	if (p[0] == 0xc3)
		return snprintf(text, n, "ret"), 1;
	if (p[0] == 0xcd)
		return *entry = p[1] == 0x80 ? "int $0x80" : 0, snprintf(text, n, "int    $0x%x", p[1]), 2;
	if (p[0] == 0x0f && p[1] == 0x34)
		return *entry = "sysenter", snprintf(text, n, "sysenter"), 2;
	if (p[0] == 0x0f && p[1] == 0x05)
		return *entry = "syscall", snprintf(text, n, "syscall"), 2;
	if (p[0] == 0x0f && p[1] == 0x1f) { /* nopl with a ModRM memory operand */
		unsigned mod = p[2] >> 6, rm = p[2] & 7;
		int len = 3 + (rm == 4 && mod != 3) + (mod == 1 ? 1 : mod == 2 ? 4 : 0);
		return snprintf(text, n, "nopl   (%d-byte NOP)", len), len;
	}
	return 0;
}

/* Disassemble __kernel_vsyscall and say which entry it reaches first. */
static void show_vsyscall(const struct image *im)
{
	unsigned long size = 0, at = lookup(im, "__kernel_vsyscall", &size);
	unsigned long sysinfo = getauxval(AT_SYSINFO);
	if (!at) {
		printf("\nno __kernel_vsyscall in this vDSO\n");
		return;
	}
	printf("\n__kernel_vsyscall at 0x%lx (%lu bytes)%s:\n", at, size,
	       sysinfo == at ? ", where AT_SYSINFO points" : "");
	const unsigned char *code = (const unsigned char *)at;
	const char *first = 0;
	for (unsigned long off = 0; off < size;) {
		char text[48];
		const char *entry;
		int len = decode(code + off, text, sizeof text, &entry);
		if (!len) {
			printf("  %08lx:  %02x              (not decoded)\n", at + off, code[off]);
			break;
		}
		char hex[24] = "";
		for (int i = 0; i < len && i < 7; i++)
			snprintf(hex + 3 * i, sizeof hex - 3 * i, "%02x ", code[off + i]);
		printf("  %08lx:  %-16s%s\n", at + off, hex, text);
		if (entry && !first)
			first = entry;
		off += len;
	}
	if (first && strcmp(first, "int $0x80") == 0)
		printf("Enters the kernel with: int $0x80\n");
	else if (first)
		printf("Enters the kernel with: %s (the int $0x80 after it is where a restarted call re-enters)\n", first);
	FILE *f = fopen("/proc/forkline/vdso32", "r");
	char method[32];
	if (f && fgets(method, sizeof method, f))
		printf("The kernel's choice (/proc/forkline/vdso32): %s", method);
	if (f)
		fclose(f);
}
#endif

/* Find the vDSO, describe it, list its symbols (and decode the i386 entry). */
int main(void)
{
	unsigned long base = getauxval(AT_SYSINFO_EHDR);
	struct image im;
	if (!base) {
		printf("no vDSO: the kernel passed no AT_SYSINFO_EHDR\n");
		return 1;
	}
	if (!load(base, &im)) {
		printf("AT_SYSINFO_EHDR 0x%lx is not a loadable ELF image\n", base);
		return 1;
	}
	im.nsyms = count_symbols(&im);
	printf("vDSO %s at 0x%lx: %s, %s%s%s\n", im.soname, base, CLASS,
	       im.hash ? "DT_HASH" : "", im.hash && im.gnu_hash ? " and " : "",
	       im.gnu_hash ? "DT_GNU_HASH" : "");
	show_versions(&im);
	show_symbols(&im);
#ifdef __i386__
	show_vsyscall(&im);
#endif
	return 0;
}
