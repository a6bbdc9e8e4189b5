/* <elf.h> for the example programs, used only while libc-rs has none (see
   sys/ioctl.h here): the part of the ELF format (System V gABI, and the GNU
   symbol versioning extension) that reading the vDSO needs. Names and
   values are glibc's. */
#ifndef _ELF_H
#define _ELF_H
#include <stdint.h>

typedef uint16_t Elf32_Half, Elf64_Half;
typedef uint32_t Elf32_Word, Elf64_Word;
typedef int32_t Elf32_Sword, Elf64_Sword;
typedef uint64_t Elf64_Xword;
typedef int64_t Elf64_Sxword;
typedef uint32_t Elf32_Addr, Elf32_Off;
typedef uint64_t Elf64_Addr, Elf64_Off;
typedef uint16_t Elf32_Versym, Elf64_Versym;

#define EI_NIDENT 16
#define EI_CLASS 4
#define ELFCLASS32 1
#define ELFCLASS64 2
#define ELFMAG "\177ELF"
#define SELFMAG 4
#define ET_DYN 3
#define EM_386 3
#define EM_X86_64 62

typedef struct {
	unsigned char e_ident[EI_NIDENT];
	Elf32_Half e_type, e_machine;
	Elf32_Word e_version;
	Elf32_Addr e_entry;
	Elf32_Off e_phoff, e_shoff;
	Elf32_Word e_flags;
	Elf32_Half e_ehsize, e_phentsize, e_phnum, e_shentsize, e_shnum, e_shstrndx;
} Elf32_Ehdr;

typedef struct {
	unsigned char e_ident[EI_NIDENT];
	Elf64_Half e_type, e_machine;
	Elf64_Word e_version;
	Elf64_Addr e_entry;
	Elf64_Off e_phoff, e_shoff;
	Elf64_Word e_flags;
	Elf64_Half e_ehsize, e_phentsize, e_phnum, e_shentsize, e_shnum, e_shstrndx;
} Elf64_Ehdr;

#define PT_LOAD 1
#define PT_DYNAMIC 2

typedef struct {
	Elf32_Word p_type;
	Elf32_Off p_offset;
	Elf32_Addr p_vaddr, p_paddr;
	Elf32_Word p_filesz, p_memsz, p_flags, p_align;
} Elf32_Phdr;

typedef struct {
	Elf64_Word p_type, p_flags;
	Elf64_Off p_offset;
	Elf64_Addr p_vaddr, p_paddr;
	Elf64_Xword p_filesz, p_memsz, p_align;
} Elf64_Phdr;

#define DT_NULL 0
#define DT_HASH 4
#define DT_STRTAB 5
#define DT_SYMTAB 6
#define DT_STRSZ 10
#define DT_SYMENT 11
#define DT_SONAME 14
#define DT_GNU_HASH 0x6ffffef5
#define DT_VERSYM 0x6ffffff0
#define DT_VERDEF 0x6ffffffc
#define DT_VERDEFNUM 0x6ffffffd

typedef struct {
	Elf32_Sword d_tag;
	union { Elf32_Word d_val; Elf32_Addr d_ptr; } d_un;
} Elf32_Dyn;

typedef struct {
	Elf64_Sxword d_tag;
	union { Elf64_Xword d_val; Elf64_Addr d_ptr; } d_un;
} Elf64_Dyn;

typedef struct {
	Elf32_Word st_name;
	Elf32_Addr st_value;
	Elf32_Word st_size;
	unsigned char st_info, st_other;
	Elf32_Half st_shndx;
} Elf32_Sym;

typedef struct {
	Elf64_Word st_name;
	unsigned char st_info, st_other;
	Elf64_Half st_shndx;
	Elf64_Addr st_value;
	Elf64_Xword st_size;
} Elf64_Sym;

#define ELF32_ST_BIND(i) ((i) >> 4)
#define ELF32_ST_TYPE(i) ((i) & 0xf)
#define ELF64_ST_BIND(i) ((i) >> 4)
#define ELF64_ST_TYPE(i) ((i) & 0xf)
#define STB_LOCAL 0
#define STB_GLOBAL 1
#define STB_WEAK 2
#define STT_NOTYPE 0
#define STT_OBJECT 1
#define STT_FUNC 2
#define STT_SECTION 3
#define STT_FILE 4
#define SHN_UNDEF 0
#define SHN_ABS 0xfff1

/* Symbol versioning (GNU): one Verdef per version, each naming itself in
   its first Verdaux. A .gnu.version entry with bit 15 set is hidden
   (name@VERSION rather than the default name@@VERSION). */
typedef struct {
	Elf32_Half vd_version, vd_flags, vd_ndx, vd_cnt;
	Elf32_Word vd_hash, vd_aux, vd_next;
} Elf32_Verdef;
typedef Elf32_Verdef Elf64_Verdef; /* same layout in both classes */

typedef struct {
	Elf32_Word vda_name, vda_next;
} Elf32_Verdaux;
typedef Elf32_Verdaux Elf64_Verdaux;

#define VER_FLG_BASE 0x1
#define VER_NDX_LOCAL 0
#define VER_NDX_GLOBAL 1
#define VERSYM_HIDDEN 0x8000
#define VERSYM_VERSION 0x7fff

#endif
