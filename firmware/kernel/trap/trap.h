/*
 * trap.h: the trap frame and the handler the trap vector calls.
 *
 * trap_entry (trap_entry.S) saves every register and mepc in a frame on the current stack, calls
 * trap_handle(frame), restores them (a handler may change the frame, e.g. mepc) and returns with mret.
 * trap_handle passes the machine timer interrupt to the timer library; any other trap is reported
 * (cause, pc, mtval and the instruction word; the registers ra, sp, gp, tp and, with the thread library,
 * the running thread) and ends the program with KERNEL_EXIT_TRAP | mcause.
 *
 * A policy violation (mcause TRAP_CAUSE_POLICY_VIOLATION: the tag unit denied the instruction at mepc) is
 * reported with the policy and the reason the PEX gives (LAST_VIOLATION, named from hwgen_policies.h):
 *   *** policy violation: ret: return to a non-return address at pc 0x80000124, thread 1 ended
 * (or ", the program ends" for main)
 * and ends the thread that made it (thread_exit(NULL)); when that is main (thread 0, or a program without
 * threads), the program, with KERNEL_EXIT_TRAP | 24.
 */
#ifndef TRAP_H
#define TRAP_H

/* Frame layout, in bytes: x1..x31 at 4 * n (x2 holds sp before the trap), then mepc. */
#define TRAP_FRAME_MEPC  128
#define TRAP_FRAME_BYTES 144

#ifndef __ASSEMBLER__

#include <stdint.h>

struct trap_frame
{
    uint32_t x[32]; /* x[0] is unused */
    uint32_t mepc;
    uint32_t reserved[3];
};

_Static_assert(sizeof(struct trap_frame) == TRAP_FRAME_BYTES, "trap frame layout");

/* The mcause of a denial by the tag unit. */
#define TRAP_CAUSE_POLICY_VIOLATION 24u

/* The mcause of the machine timer interrupt. */
#define TRAP_CAUSE_TIMER_INTERRUPT 0x80000007u

/* Called from trap_entry with the saved frame. */
void trap_handle(struct trap_frame *frame);

/* Prints a report of the trap in frame (cause, pc, mtval, instruction word) on the console. */
void trap_report(const struct trap_frame *frame, uint32_t mcause, uint32_t mtval);

/* Prints which policy denied what (violation: (policy << 16) | reason, from the PEX) at which pc. */
void trap_report_violation(const struct trap_frame *frame, uint32_t violation);

/* The name of an exception cause, e.g. "illegal instruction", or NULL for an unknown one. */
const char *trap_cause_name(uint32_t mcause);

/* The timer library's interrupt handler; weak, so programs without it report the interrupt. */
void timer_interrupt(void) __attribute__((weak));

/* The thread library's number of the running thread; weak, so programs without threads report none. */
int thread_current_id(void) __attribute__((weak));

/* The thread library's end of a thread, where a thread that made a policy violation is sent. */
void thread_exit(void *value) __attribute__((weak, noreturn));

#endif /* __ASSEMBLER__ */

#endif /* TRAP_H */
