namespace GenCluster.Torch;

/// <summary>
/// An error reported by libtorch (shape mismatch, wrong dtype, unavailable device, ...).
/// The message is libtorch's own, without its C++ backtrace.
/// </summary>
public sealed class TorchException : Exception
{
    public TorchException(string message) : base(message)
    {
    }

    public TorchException(string message, Exception innerException) : base(message, innerException)
    {
    }

    public TorchException()
    {
    }
}
