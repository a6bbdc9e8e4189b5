/* vdso.h — find symbols in the vDSO the kernel mapped into this process,
 * the way a C library does: from AT_SYSINFO_EHDR, through PT_DYNAMIC to
 * DT_SYMTAB, DT_STRTAB, DT_HASH (for the symbol count) and the version
 * tables DT_VERSYM/DT_VERDEF. vdso_lookup("__vdso_time", "LINUX_2.6").
 */
#ifndef FORKLINE_VDSO_H
#define FORKLINE_VDSO_H

#include <elf.h>
#include <stdint.h>
#include <string.h>
#include <sys/auxv.h>

#ifdef __x86_64__
#define E(x) Elf64_##x
#else
#define E(x) Elf32_##x
#endif

/* The parsed vDSO: where its tables are in memory. */
static struct {
	uintptr_t bias; /* load address minus link address */
	const E(Sym) *sym;
	const char *str;
	unsigned nsym;
	const E(Half) *versym;
	const E(Verdef) *verdef;
	int has_gnu_hash;
} vd;

/* Parse the vDSO at AT_SYSINFO_EHDR; returns 0 if it is usable. */
static inline int parse_vdso(void)
{
	const E(Ehdr) *eh = (const E(Ehdr) *)getauxval(AT_SYSINFO_EHDR);
	if (!eh)
		return -1;
	const E(Phdr) *ph = (const E(Phdr) *)((const char *)eh + eh->e_phoff);
	const E(Dyn) *dyn = NULL;
	int have_load = 0;
	for (int i = 0; i < eh->e_phnum; i++) {
		if (ph[i].p_type == PT_LOAD && !have_load) {
			vd.bias = (uintptr_t)eh + ph[i].p_offset - ph[i].p_vaddr;
			have_load = 1;
		} else if (ph[i].p_type == PT_DYNAMIC) {
			dyn = (const E(Dyn) *)((const char *)eh + ph[i].p_offset);
		}
	}
	if (!have_load || !dyn)
		return -1;
	const E(Word) *hash = NULL;
	for (; dyn->d_tag != DT_NULL; dyn++) {
		uintptr_t p = vd.bias + dyn->d_un.d_ptr;
		switch (dyn->d_tag) {
		case DT_SYMTAB: vd.sym = (const E(Sym) *)p; break;
		case DT_STRTAB: vd.str = (const char *)p; break;
		case DT_HASH: hash = (const E(Word) *)p; break;
		case DT_GNU_HASH: vd.has_gnu_hash = 1; break;
		case DT_VERSYM: vd.versym = (const E(Half) *)p; break;
		case DT_VERDEF: vd.verdef = (const E(Verdef) *)p; break;
		}
	}
	if (!vd.sym || !vd.str || !hash)
		return -1;
	vd.nsym = hash[1]; /* nchain = number of symbols */
	return 0;
}

/* The name of version index ndx, from the version definitions. */
static inline const char *version_name(unsigned ndx)
{
	for (const E(Verdef) *d = vd.verdef; d;) {
		if ((d->vd_ndx & 0x7fff) == ndx) {
			const E(Verdaux) *a = (const E(Verdaux) *)((const char *)d + d->vd_aux);
			return vd.str + a->vda_name;
		}
		if (!d->vd_next)
			break;
		d = (const E(Verdef) *)((const char *)d + d->vd_next);
	}
	return NULL;
}

/* Address of a defined function symbol name@version, or NULL. */
static inline void *vdso_lookup(const char *name, const char *version)
{
	for (unsigned i = 1; i < vd.nsym; i++) {
		const E(Sym) *s = &vd.sym[i];
		if (s->st_shndx == SHN_UNDEF || strcmp(vd.str + s->st_name, name))
			continue;
		const char *v = vd.versym ? version_name(vd.versym[i] & 0x7fff) : NULL;
		if (v && !strcmp(v, version))
			return (void *)(vd.bias + s->st_value);
	}
	return NULL;
}

#endif
