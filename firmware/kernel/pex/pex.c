/* pex.c: requests to the policy coprocessor (see pex.h). */
#include "pex.h"

uint32_t pex_last_violation(void)
{
    return pex_call(HWGEN_PEX_CALL_LAST_VIOLATION, 0, 0);
}
