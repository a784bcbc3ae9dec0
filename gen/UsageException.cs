namespace HwGen.Cli;

/// <summary>
/// A usage or configuration error: <c>hwgen</c> prints the message on one line of stderr, without a stack
/// trace, and exits with <see cref="ExitCode.UsageError"/>.
/// </summary>
public sealed class UsageException : Exception
{
    public UsageException(string message)
        : base(message)
    {
    }

    public UsageException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
