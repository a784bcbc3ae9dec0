/*
 * pex.h: requests to the policy coprocessor (PEX) through the PEX call port (HWGEN_PEXCALL_BASE).
 *
 * A call writes ARG0 and ARG1, then OP (the store waits until the PEX has served it), and reads RESULT, whose
 * tag is the call's result tag. The operations are those of hwgen_policies.h: COLOUR and RELEASE for the
 * allocator (the PEX serves them only when the store to OP is the allocator's code, so pex_call is always
 * inlined into its caller), LAST_VIOLATION for the trap handler. A SoC without a PEX, or a policy that serves
 * no such call, answers 0.
 */
#ifndef PEX_H
#define PEX_H

#include <stdint.h>
#include "hwgen_policies.h"
#include "hwgen_soc.h"

/* Makes one call and returns its result; the store to OP is the calling function's own instruction. */
static inline __attribute__((always_inline)) uint32_t pex_call(uint32_t op, uint32_t arg0, uint32_t arg1)
{
    HWGEN_MMIO32(HWGEN_PEXCALL_ARG0) = arg0;
    HWGEN_MMIO32(HWGEN_PEXCALL_ARG1) = arg1;
    HWGEN_MMIO32(HWGEN_PEXCALL_OP) = op;
    return HWGEN_MMIO32(HWGEN_PEXCALL_RESULT);
}

/* The last denial: (policy << 16) | reason (see hwgen_policies.h), 0 when none. */
uint32_t pex_last_violation(void);

#endif /* PEX_H */
