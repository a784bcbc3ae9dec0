namespace HwGen.Gen.Tools;

/// <summary>
/// External tools are missing and cannot be installed from here (not root, or not Debian).
/// The message is the exact command line that installs them.
/// </summary>
public sealed class ToolsMissingException : Exception
{
    public ToolsMissingException(IReadOnlyList<ExternalTool> missing, IReadOnlyList<string> packages)
        : base(ExternalTools.InstallCommand(packages))
    {
        Missing = missing;
        Packages = packages;
    }

    /// <summary>The tools that were not found on PATH.</summary>
    public IReadOnlyList<ExternalTool> Missing { get; }

    /// <summary>The Debian packages that provide them.</summary>
    public IReadOnlyList<string> Packages { get; }

    /// <summary>The command line to run as root; the same text as <see cref="Exception.Message"/>.</summary>
    public string InstallCommand => Message;
}

/// <summary>An attempt to install external tools with apt-get failed, or left some of them missing.</summary>
public sealed class ToolInstallException : Exception
{
    public ToolInstallException(string message)
        : base(message)
    {
    }
}

/// <summary>Installs missing external tools from Debian packages.</summary>
public static class ToolInstaller
{
    private static readonly TimeSpan s_aptTimeout = TimeSpan.FromMinutes(30);

    /// <summary>
    /// True when this process can install packages itself: it runs as root on a Debian-based system
    /// that has apt-get.
    /// </summary>
    public static bool CanInstall => OperatingSystem.IsLinux()
        && File.Exists("/etc/debian_version")
        && IsRoot()
        && new ExternalTool("apt-get", "apt", "--version", "installs Debian packages").IsInstalled;

    /// <summary>
    /// Makes sure every tool of <paramref name="tools"/> is on PATH. When some are missing and
    /// <see cref="CanInstall"/> holds, runs <c>apt-get update</c> and <c>apt-get install</c> for their
    /// packages, passing every line apt-get prints to <paramref name="log"/>; otherwise throws
    /// <see cref="ToolsMissingException"/> whose message is the install command to run.
    /// </summary>
    /// <exception cref="ToolsMissingException">Tools are missing and this process cannot install them.</exception>
    /// <exception cref="ToolInstallException">apt-get failed, or a tool is still missing after it ran.</exception>
    public static void EnsureInstalled(IEnumerable<ExternalTool> tools, Action<string> log)
    {
        ArgumentNullException.ThrowIfNull(tools);
        ArgumentNullException.ThrowIfNull(log);

        var wanted = tools.Distinct().ToArray();
        var missing = wanted.Where(t => !t.IsInstalled).ToArray();
        if (missing.Length == 0)
            return;

        var packages = missing.Select(t => t.DebianPackage).Distinct().ToArray();
        if (!CanInstall)
            throw new ToolsMissingException(missing, packages);

        log($"installing {string.Join(' ', packages)} (for {string.Join(", ", missing.Select(t => t.Command))})");
        RunAptGet(["update"], log);
        RunAptGet(["install", "-y", "--no-install-recommends", .. packages], log);

        var stillMissing = wanted.Where(t => !t.IsInstalled).ToArray();
        if (stillMissing.Length > 0)
        {
            throw new ToolInstallException(
                "still missing after apt-get install: " +
                string.Join(", ", stillMissing.Select(t => $"{t.Command} (package {t.DebianPackage})")) +
                "; check that the package provides that command on PATH");
        }
    }

    private static void RunAptGet(string[] arguments, Action<string> log)
    {
        var commandLine = "apt-get " + string.Join(' ', arguments);
        log(commandLine);
        var environment = new Dictionary<string, string> { ["DEBIAN_FRONTEND"] = "noninteractive" };
        var result = ProcessRunner.Run("apt-get", arguments, timeout: s_aptTimeout, environment: environment, onStdoutLine: log);
        if (result.Succeeded)
            return;

        var reason = result.TimedOut
            ? $"timed out after {s_aptTimeout.TotalMinutes:0} minutes"
            : $"exited with code {result.ExitCode}";
        var details = LastLines(result.Stderr.Length > 0 ? result.Stderr : result.Stdout, 5);
        throw new ToolInstallException($"'{commandLine}' {reason}" + (details.Length > 0 ? ": " + details : ""));
    }

    private static bool IsRoot()
    {
        var result = ProcessRunner.Run("id", ["-u"], timeout: TimeSpan.FromSeconds(10));
        return result.Succeeded && result.Stdout.Trim() == "0";
    }

    private static string LastLines(string text, int count)
    {
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return string.Join(" | ", lines.Skip(Math.Max(0, lines.Length - count)));
    }
}
