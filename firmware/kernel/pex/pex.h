/*
 * pex.h: requests to the policy coprocessor (PEX) through the PEX call port (HWGEN_PEXCALL_BASE).
 *
 * The allocator colours every block it hands out and recolours it when it is freed, so that a policy
 * that tracks heap colours can tell a pointer into one block from a pointer into another.
 */
#ifndef PEX_H
#define PEX_H

#include <stddef.h>
#include <stdint.h>

/* The colour of memory that no allocation owns (free heap memory). */
#define PEX_COLOUR_FREE 0u

/*
 * Asks the PEX to give the bytes [base, base + bytes) the colour colour. A no-op on a SoC without a
 * PEX, which is every SoC of this version: the request format comes with the tag unit.
 */
void pex_colour(void *base, size_t bytes, uint32_t colour);

#endif /* PEX_H */
