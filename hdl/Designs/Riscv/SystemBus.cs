using HwGen.Hdl;
using static HwGen.Hdl.Hw;

namespace HwGen.Designs.Riscv;

/// <summary>
/// The bus between a core and its interconnect, declared once from the master's side: a request channel with a
/// valid/ready handshake and a response channel (flipped) that carries the read data and an error. The core has
/// two: one for instructions, one for data. A master declares it <c>Out(new SystemBus())</c>, the interconnect
/// <c>In(new SystemBus())</c>.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item><b>Request.</b> The master presents <see cref="Valid"/> with the address, the direction, the byte enables
/// and the write data; the request is taken in a cycle where <see cref="Valid"/> and <see cref="Ready"/> are both 1.
/// Until then the master holds it unchanged (it may not withdraw it). <see cref="Ready"/> may depend on
/// <see cref="Valid"/> and the address (an arbiter); <see cref="Valid"/> must not depend on <see cref="Ready"/>.</item>
/// <item><b>Response.</b> Every request taken gets exactly one response, in a later cycle (one or more: wait
/// states), in the order the requests were taken: <see cref="ResponseValid"/> is 1 for one cycle with the word read
/// (for a read) and <see cref="Error"/>. The master always takes a response (there is no back-pressure).</item>
/// <item><b>Outstanding.</b> A master has at most one request taken and not yet answered: it may present its next
/// request in the cycle the previous response arrives, so that a memory with no wait states serves one request
/// every cycle.</item>
/// <item><b>Error.</b> An access fault: the address lies in no region, the region does not take this access (a
/// width it does not take, a write to a read-only region, an instruction fetch from a region that is not
/// executable). Nothing is written; the read data is 0. The core raises the access fault of the instruction.</item>
/// <item><b>Addresses.</b> Byte addresses; a data access is one word whose bytes <see cref="ByteEnable"/> selects
/// (address bits 1..0 are 0); an instruction fetch reads a whole word.</item>
/// </list>
/// </remarks>
public sealed class SystemBus : Bundle
{
    public readonly Signal Valid = Bool();
    public readonly Signal Ready = Flipped(Bool());
    public readonly Signal Address = UInt(32);
    public readonly Signal Write = Bool();
    /// <summary>One bit per byte lane: the bytes written by a write, read by a read.</summary>
    public readonly Signal ByteEnable = UInt(4);
    public readonly Signal WriteData = UInt(32);

    public readonly Signal ResponseValid = Flipped(Bool());
    public readonly Signal ReadData = Flipped(UInt(32));
    public readonly Signal Error = Flipped(Bool());
}
