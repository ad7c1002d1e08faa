using Microsoft.AspNetCore.Http;

namespace Mergepoints.Mash.Web;

/// <summary>
/// A file part of the form as the library reads it: a body that breaks off or loses its boundary is the client's
/// fault and becomes a <see cref="FormProblemException"/> (a 400), while whatever the library's own writing throws
/// (a full disk) passes by untouched, a failure of the server. Kestrel's 413 for a body past the limit passes too.
/// </summary>
internal sealed class FormPartStream(Stream part) : Stream
{
    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    /// <summary>Whether <paramref name="exception"/> is the body failing to be a multipart form.</summary>
    public static bool IsBroken(Exception exception) => exception is InvalidDataException or (IOException and not BadHttpRequestException);

    /// <summary>What the sender is told when the body <see cref="IsBroken"/>.</summary>
    public static FormProblemException Problem(Exception exception) =>
        new(StatusCodes.Status400BadRequest, $"The form could not be read ({exception.Message.TrimEnd().TrimEnd('.')}): send the page's own form.");

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        try
        {
            return await part.ReadAsync(buffer, cancellationToken);
        }
        catch (Exception e) when (IsBroken(e))
        {
            throw Problem(e);
        }
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException("Read the form asynchronously.");

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
