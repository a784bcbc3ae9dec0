namespace HwGen.Cli;

/// <summary>
/// The exit codes of <c>hwgen</c>. A stable contract: scripts and tests rely on these numbers.
/// </summary>
public enum ExitCode
{
    /// <summary>Everything asked for was done and every check passed.</summary>
    Success = 0,

    /// <summary>A program, check or test that <c>hwgen</c> ran failed.</summary>
    Failure = 1,

    /// <summary>Bad command line or configuration, or a missing external tool.</summary>
    UsageError = 2,

    /// <summary>A policy violation was detected.</summary>
    PolicyViolation = 3,

    /// <summary>The hardware and the golden model diverged in co-simulation.</summary>
    Divergence = 4,

    /// <summary>The simulation reached its cycle limit.</summary>
    CycleLimit = 5,
}
