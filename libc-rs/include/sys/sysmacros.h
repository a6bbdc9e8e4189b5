/* sys/sysmacros.h: glibc's dev_t encoding (12+20-bit major, 8+24-bit
   minor, as Linux's huge_encode_dev). */
#ifndef _SYS_SYSMACROS_H
#define _SYS_SYSMACROS_H
#include <sys/types.h>

__FL_BEGIN

static __inline unsigned int gnu_dev_major(dev_t __d)
{
	return (unsigned int)(((__d >> 32) & 0xfffff000u) | ((__d >> 8) & 0xfffu));
}
static __inline unsigned int gnu_dev_minor(dev_t __d)
{
	return (unsigned int)(((__d >> 12) & 0xffffff00u) | (__d & 0xffu));
}
static __inline dev_t gnu_dev_makedev(unsigned int __ma, unsigned int __mi)
{
	return (((dev_t)(__ma & 0xfffff000u)) << 32) | (((dev_t)(__ma & 0xfffu)) << 8) |
	       (((dev_t)(__mi & 0xffffff00u)) << 12) | ((dev_t)(__mi & 0xffu));
}
#define major(d) gnu_dev_major(d)
#define minor(d) gnu_dev_minor(d)
#define makedev(ma, mi) gnu_dev_makedev(ma, mi)

__FL_END
#endif
