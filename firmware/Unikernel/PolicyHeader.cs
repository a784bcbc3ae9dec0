using HwGen.Sim.Policy;

namespace HwGen.Firmware.Unikernel;

/// <summary>
/// The C header <c>hwgen_policies.h</c>: the policies of <see cref="PolicyRegistry"/> (index, name, reason texts) and
/// the PEX call port's operations (<see cref="PexCallOp"/>), generated through <c>firmware/Templates/hwgen_policies.h.sbn</c>,
/// so the trap handler names the policy and the reason of a denial from the same registry the tag engine uses.
/// </summary>
public static class PolicyHeader
{
    /// <summary>The name programs include: <c>#include "hwgen_policies.h"</c>.</summary>
    public const string FileName = "hwgen_policies.h";

    public static string Render()
    {
        var policies = PolicyRegistry.All
            .Select((p, i) => new PolicyModel(i, p.Name, Identifier(p.Name).ToUpperInvariant(), Identifier(p.Name), CString(p.Description),
                [.. p.Reasons.Select(CString)]))
            .ToArray();
        var model = new HeaderModel(FileName, "HWGEN_POLICIES_H", PexCallOp.Colour, PexCallOp.Release, PexCallOp.LastViolation, policies);
        return FirmwareTemplates.Render("hwgen_policies.h.sbn", model);
    }

    private static string Identifier(string name) => new([.. name.Select(c => char.IsAsciiLetterOrDigit(c) ? c : '_')]);

    private static string CString(string text) => text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal);

    private sealed record HeaderModel(string FileName, string Guard, uint Colour, uint Release, uint LastViolation, IReadOnlyList<PolicyModel> Policies);

    private sealed record PolicyModel(int Index, string Name, string Macro, string Identifier, string Description, IReadOnlyList<string> Reasons);
}
