/* trap.c: the trap handler (see trap.h). */
#include <stdio.h>
#include "hwgen_soc.h"
#include "kernel.h"
#include "pex.h"
#include "trap.h"

const char *trap_cause_name(uint32_t mcause)
{
    switch (mcause)
    {
    case 0: return "instruction address misaligned";
    case 1: return "instruction access fault";
    case 2: return "illegal instruction";
    case 3: return "breakpoint";
    case 4: return "load address misaligned";
    case 5: return "load access fault";
    case 6: return "store address misaligned";
    case 7: return "store access fault";
    case 8: return "environment call from U-mode";
    case 11: return "environment call from M-mode";
    case TRAP_CAUSE_POLICY_VIOLATION: return "policy violation";
    case TRAP_CAUSE_TIMER_INTERRUPT: return "machine timer interrupt";
    default: return NULL;
    }
}

/* The instruction word at pc, when pc is a readable word of RAM (a fetch fault's pc may not be). */
static int read_instruction(uint32_t pc, uint32_t *word)
{
    if ((pc & 3u) != 0 || pc < HWGEN_RAM_BASE || pc - HWGEN_RAM_BASE > HWGEN_RAM_SIZE - 4u)
        return 0;
    *word = *(const volatile uint32_t *)(uintptr_t)pc;
    return 1;
}

void trap_report(const struct trap_frame *frame, uint32_t mcause, uint32_t mtval)
{
    const char *name = trap_cause_name(mcause);
    uint32_t insn;
    printf("\n*** trap: mcause 0x%08lx (%s) at pc 0x%08lx, mtval 0x%08lx, ",
           (unsigned long)mcause, name != NULL ? name : "unknown", (unsigned long)frame->mepc, (unsigned long)mtval);
    if (read_instruction(frame->mepc, &insn))
        printf("instruction 0x%08lx\n", (unsigned long)insn);
    else
        printf("instruction not readable\n");
    printf("    ra 0x%08lx sp 0x%08lx gp 0x%08lx tp 0x%08lx",
           (unsigned long)frame->x[1], (unsigned long)frame->x[2], (unsigned long)frame->x[3], (unsigned long)frame->x[4]);
    if (thread_current_id)
        printf(" in thread %d", thread_current_id());
    printf("\n");
}

void trap_report_violation(const struct trap_frame *frame, uint32_t violation)
{
    unsigned policy = violation >> 16, reason = violation & 0xffffu;
    const char *name = hwgen_policy_name(policy), *text = hwgen_policy_reason(policy, reason);
    printf("*** policy violation: ");
    if (name != NULL)
        printf("%s", name);
    else
        printf("policy %u", policy);
    if (text != NULL)
        printf(": %s", text);
    else
        printf(": reason %u", reason);
    int thread = thread_current_id ? thread_current_id() : 0;
    printf(" at pc 0x%08lx", (unsigned long)frame->mepc);
    if (thread != 0)
        printf(", thread %d ended\n", thread);
    else
        printf(", the program ends\n");
}

void trap_handle(struct trap_frame *frame)
{
    uint32_t mcause = KERNEL_CSR_READ(mcause);
    uint32_t mtval = KERNEL_CSR_READ(mtval);
    if (mcause == TRAP_CAUSE_TIMER_INTERRUPT && timer_interrupt)
    {
        timer_interrupt();
        return;
    }
    trap_report(frame, mcause, mtval);
    if (mcause == TRAP_CAUSE_POLICY_VIOLATION)
    {
        trap_report_violation(frame, pex_last_violation());
        /* A thread other than main ends as if it had called thread_exit(NULL) where it was stopped: the trap
           returns into thread_exit (a function entry, so an indirect call's pc tag may land there too). */
        if (thread_current_id && thread_current_id() != 0)
        {
            frame->x[10] = 0;
            frame->mepc = (uint32_t)(uintptr_t)thread_exit;
            return;
        }
    }
    if ((mcause & 0x80000000u) != 0)
        _exit(KERNEL_EXIT_INTERRUPT | (int)(mcause & 0x7fffffffu));
    _exit(KERNEL_EXIT_TRAP | (int)mcause);
}
