/*
 * kernel.h: what every part of the library OS shares: the exit codes, the CSR helpers and exit().
 *
 * A program ends with exit(code) (or by returning from main): the start library stores
 * (code << 1) | 1 to tohost, so code 0 is success.
 */
#ifndef KERNEL_H
#define KERNEL_H

/* Exit codes with which the kernel ends a program on a fault; the cause is or-ed in. */
#define KERNEL_EXIT_TRAP           0x100 /* an exception: 0x100 | mcause */
#define KERNEL_EXIT_INTERRUPT      0x200 /* an interrupt nothing handles: 0x200 | cause */
#define KERNEL_EXIT_STACK_OVERFLOW 0x300 /* a thread's stack guard words were overwritten */
#define KERNEL_EXIT_DEADLOCK       0x301 /* every thread waits and no timer will wake one */
#define KERNEL_EXIT_HEAP           0x302 /* free() of something that is not an allocated block */

#ifndef __ASSEMBLER__

#include <stdint.h>
#include <stdlib.h>

#define KERNEL_CSR_READ(name) ({ uint32_t value_; __asm__ volatile("csrr %0, " #name : "=r"(value_)); value_; })
#define KERNEL_CSR_WRITE(name, value) __asm__ volatile("csrw " #name ", %0" : : "r"((uint32_t)(value)))
#define KERNEL_CSR_SET(name, bits) __asm__ volatile("csrs " #name ", %0" : : "r"((uint32_t)(bits)))
#define KERNEL_CSR_CLEAR(name, bits) __asm__ volatile("csrc " #name ", %0" : : "r"((uint32_t)(bits)))

/* mstatus.MIE and mie.MTIE. */
#define KERNEL_MSTATUS_MIE (1u << 3)
#define KERNEL_MIE_MTIE    (1u << 7)

/* Ends the program through tohost with (code << 1) | 1; exit() from <stdlib.h> ends here too. */
void _exit(int code) __attribute__((noreturn));

#endif /* __ASSEMBLER__ */

#endif /* KERNEL_H */
