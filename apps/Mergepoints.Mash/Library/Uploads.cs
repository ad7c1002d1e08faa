using System.Buffers;
using System.ComponentModel;
using System.Globalization;
using Mergepoints.Mash.Engine.Audio;
using Mergepoints.Mash.Engine.Mashing;

namespace Mergepoints.Mash.Library;

/// <summary>
/// Takes an uploaded file into the library: streams it to a temporary file while hashing and counting (never more
/// than the limit), sniffs what it really is, checks that it can be read, then keeps it under its hash and adds
/// the song. The client's file name is used for the title only, never for a path.
/// </summary>
public sealed class Uploads(BlobStore blobs, SongStore songs, MashLibraryOptions options)
{
    private const int BufferSize = 1 << 16;

    // No analysis cache: an upload is only read here, its analysis belongs to the first mash.
    private readonly MashEngine _engine = new(new MashEngineOptions { FfmpegPath = options.FfmpegPath });

    /// <summary>Keeps the upload and returns its song; throws <see cref="UploadRejectedException"/> and keeps nothing otherwise.</summary>
    /// <remarks>
    /// The same bytes uploaded again by the same person are the song they uploaded before (title and all), not a
    /// second one: the picker would fill with copies of whatever they try a few times.
    /// 413 as soon as the stream passes <see cref="MashLibraryOptions.MaxUploadBytes"/> (the rest is never read),
    /// and for a song longer than <see cref="MashLibraryOptions.MaxSongSeconds"/>; 415 as soon as its first bytes are
    /// no audio format; 422 for audio a mash could not read (a truncated WAV, a broken MP3), with the reader's
    /// reason; 503 for a format that needs ffmpeg where it is not installed.
    /// </remarks>
    public async Task<Song> AcceptAsync(Stream content, string fileName, string ownerUserId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(content);
        ArgumentException.ThrowIfNullOrWhiteSpace(ownerUserId);
        var name = UploadName.Of(fileName);
        await using var staged = blobs.Stage();
        var contentType = await ReceiveAsync(content, staged, name, cancellationToken).ConfigureAwait(false);
        var hash = await staged.SealAsync(cancellationToken).ConfigureAwait(false);
        if (await songs.FindUploadAsync(ownerUserId, hash, cancellationToken).ConfigureAwait(false) is { } again)
        {
            return again;
        }
        double? duration;
        try
        {
            duration = await _engine.CheckAsync(staged.Path, cancellationToken).ConfigureAwait(false);
        }
        catch (AudioFormatException e)
        {
            // The engine names the temporary file; the sender knows it by the name they gave it.
            var reason = e.Message.Replace(staged.Path, name.Display, StringComparison.Ordinal)
                .Replace(Path.GetFileName(staged.Path), name.Display, StringComparison.Ordinal);
            // The engine's ffmpeg could not be started at all (Win32Exception): the site lacks it, the file may be fine.
            throw new UploadRejectedException(e.InnerException is Win32Exception ? 503 : 422, reason);
        }
        if (duration is not { } seconds)
        {
            throw new UploadRejectedException(422, $"{name.Display}: ffmpeg cannot tell how long it is, and this site takes songs of up to {Clock(options.MaxSongSeconds)} only");
        }
        if (seconds > options.MaxSongSeconds)
        {
            throw new UploadRejectedException(413, $"{name.Display} is {Clock(Math.Ceiling(seconds))} long, longer than the {Clock(options.MaxSongSeconds)} this site takes");
        }
        var now = StoredTime.Now();
        var song = new Song
        {
            Id = SongStore.NewId(now),
            Title = name.Title,
            BlobHash = hash,
            ContentType = contentType,
            Bytes = staged.Length,
            DurationSeconds = duration,
            Origin = SongOrigin.Upload,
            OwnerUserId = ownerUserId,
            CreatedAt = now,
        };
        await songs.AddAsync(song, staged, alongside: null, cancellationToken).ConfigureAwait(false);
        return song;
    }

    /// <summary>Copies <paramref name="content"/> into <paramref name="staged"/> up to the limit; returns what it sniffed as.</summary>
    private async Task<string> ReceiveAsync(Stream content, StagedBlob staged, UploadName name, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        var head = new byte[AudioSignature.HeadLength];
        var headLength = 0;
        string? contentType = null;
        try
        {
            int read;
            while ((read = await content.ReadAsync(buffer.AsMemory(0, BufferSize), cancellationToken).ConfigureAwait(false)) > 0)
            {
                if (staged.Length + read > options.MaxUploadBytes)
                {
                    throw new UploadRejectedException(413, $"{name.Display} is larger than {ByteSize.Of(options.MaxUploadBytes)}, the most this site takes");
                }
                if (contentType is null)
                {
                    var take = Math.Min(read, head.Length - headLength);
                    buffer.AsSpan(0, take).CopyTo(head.AsSpan(headLength));
                    headLength += take;
                    contentType = headLength == head.Length ? Sniff(head, name) : null;
                }
                await staged.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
        // A file shorter than the head is sniffed once it has ended.
        return contentType ?? Sniff(head.AsSpan(0, headLength), name);
    }

    private static string Sniff(ReadOnlySpan<byte> head, UploadName name) =>
        AudioSignature.ContentType(head) ?? throw new UploadRejectedException(415, $"{name.Display} is not audio ({AudioSniffer.Describe(head)})");

    /// <summary>A length as a player shows it: 9:05, 14:03:20.</summary>
    private static string Clock(double seconds) =>
        TimeSpan.FromSeconds(seconds).ToString(seconds >= 3600 ? @"h\:mm\:ss" : @"m\:ss", CultureInfo.InvariantCulture);
}
