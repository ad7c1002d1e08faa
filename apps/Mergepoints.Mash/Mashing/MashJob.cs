using System.Text.Json;
using Mergepoints.Mash.Engine.Audio;
using Mergepoints.Mash.Engine.Mashing;
using Mergepoints.Mash.Jobs;
using Mergepoints.Mash.Library;
using Microsoft.Extensions.Logging;

namespace Mergepoints.Mash.Mashing;

/// <summary>
/// The job kind <c>mash</c>, payload <c>{"mashup": "ID"}</c>: runs the engine on the mash's two songs, keeps the
/// output as a blob and a song of its own (origin mash, "A × B", the mash's owner) and sets it as the mash's output.
/// </summary>
/// <remarks>
/// Safe to run again: a mash that already has its output is done (unless the output's file never arrived: then
/// it is made again), and the output is attached to the mash in the transaction that adds its song, only while
/// the mash exists and has none; so a mash deleted meanwhile, or finished by a worker that took the job over,
/// costs a discarded file and nothing else. A song that is gone or that the engine cannot read fails the job at
/// once (<see cref="PermanentJobException"/>): retrying cannot help. A failure of the machine's (a full disk,
/// ffmpeg missing) is an ordinary failure, retried.
/// </remarks>
public sealed partial class MashJob(MashLibrary library, ILogger logger)
{
    /// <summary>The kind name.</summary>
    public const string Kind = "mash";

    /// <summary>The payload of the job that makes mash <paramref name="mashupId"/>.</summary>
    public static string Payload(string mashupId) => JsonSerializer.Serialize(new MashPayload(mashupId));

    /// <summary>The handler: returns <c>{"song": "ID"}</c>, the output song, or null when the mash is gone.</summary>
    public async Task<string?> RunAsync(Job job, IProgress<JobProgress> progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(progress);
        var mashupId = ReadPayload(job.Payload);
        var mashup = await library.Mashups.GetAsync(mashupId, cancellationToken).ConfigureAwait(false);
        if (mashup is null)
        {
            LogGone(logger, mashupId);
            return null;
        }
        if (mashup.OutputSongId is { } done)
        {
            if (await HasFileAsync(done, cancellationToken).ConfigureAwait(false))
            {
                return Result(done);
            }
            // A crash between the output's row and its file (or a song deleted since): an output nobody can play is
            // not done. Make it again.
            LogOutputMissing(logger, mashupId, done);
            await library.Mashups.DetachOutputAsync(mashupId, done, cancellationToken).ConfigureAwait(false);
            await library.Songs.DeleteAsync(done, cancellationToken).ConfigureAwait(false);
        }
        var songA = await FindAsync(mashup.SongAId, "A", cancellationToken).ConfigureAwait(false);
        var songB = await FindAsync(mashup.SongBId, "B", cancellationToken).ConfigureAwait(false);
        await using var staged = library.Blobs.Stage();
        MashResult made;
        try
        {
            made = await library.Engine.MashAsync(
                library.Blobs.PathOf(songA.BlobHash), library.Blobs.PathOf(songB.BlobHash), staged.Path, mashup.Options,
                new StageProgress(progress), cancellationToken).ConfigureAwait(false);
        }
        catch (AudioFormatException e)
        {
            var message = Readable(e.Message, staged, (songA, "A"), (songB, "B"));
            // Bytes no reader takes (no inner exception, or the WAV reader's) and a song's file that is gone stay
            // so; a full disk, a missing ffmpeg, a read the system refused may be fixed before the next attempt.
            throw e.InnerException is null or AudioFormatException or FileNotFoundException or DirectoryNotFoundException
                ? new PermanentJobException(message, e)
                : new AudioFormatException(message, e);
        }
        var now = StoredTime.Now();
        var output = new Song
        {
            Id = SongStore.NewId(now),
            Title = SongTitles.Fit($"{songA.Title} × {songB.Title}"),
            BlobHash = await staged.SealAsync(cancellationToken).ConfigureAwait(false),
            ContentType = "audio/wav",
            Bytes = staged.Length,
            DurationSeconds = made.Duration,
            Origin = SongOrigin.Mash,
            OwnerUserId = mashup.OwnerUserId,
            CreatedAt = now,
        };
        if (!await library.Songs.AddAsync(output, staged, MashupStore.AttachOutput(mashup.Id, output.Id, cancellationToken), cancellationToken).ConfigureAwait(false))
        {
            LogDiscarded(logger, mashupId);
            return (await library.Mashups.GetAsync(mashupId, cancellationToken).ConfigureAwait(false))?.OutputSongId is { } theirs ? Result(theirs) : null;
        }
        return Result(output.Id);
    }

    private async Task<bool> HasFileAsync(string songId, CancellationToken cancellationToken) =>
        await library.Songs.GetAsync(songId, cancellationToken).ConfigureAwait(false) is { } song
        && File.Exists(library.Blobs.PathOf(song.BlobHash));

    private async Task<Song> FindAsync(string songId, string which, CancellationToken cancellationToken) =>
        await library.Songs.GetAsync(songId, cancellationToken).ConfigureAwait(false)
        ?? throw new PermanentJobException($"Song {which} was deleted before the mash could be made.");

    // The engine names the files it could not read or write; the user knows them as song A, song B and the mash.
    private string Readable(string message, StagedBlob output, params (Song Song, string Which)[] songs)
    {
        message = message.Replace(output.Path, "the mash's output", StringComparison.Ordinal);
        foreach (var (song, which) in songs)
        {
            var name = $"song {which} \"{song.Title}\"";
            message = message.Replace(library.Blobs.PathOf(song.BlobHash), name, StringComparison.Ordinal).Replace(song.BlobHash, name, StringComparison.Ordinal);
        }
        return message;
    }

    private static string ReadPayload(string payload)
    {
        try
        {
            if (JsonSerializer.Deserialize<MashPayload>(payload) is { Mashup: { Length: > 0 } id })
            {
                return id;
            }
        }
        catch (JsonException)
        {
        }
        throw new PermanentJobException("A mash job's payload is {\"mashup\": \"ID\"}.");
    }

    private static string Result(string songId) => JsonSerializer.Serialize(new MashOutput(songId));

    [LoggerMessage(Level = LogLevel.Information, Message = "Mash {MashupId} was deleted before its job ran; nothing to do")]
    private static partial void LogGone(ILogger logger, string mashupId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Mash {MashupId} has output song {SongId} but no file for it; making it again")]
    private static partial void LogOutputMissing(ILogger logger, string mashupId, string songId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Mash {MashupId} was deleted, or finished by another worker, while this one made it; its output is discarded")]
    private static partial void LogDiscarded(ILogger logger, string mashupId);

    private sealed record MashPayload([property: System.Text.Json.Serialization.JsonPropertyName("mashup")] string Mashup);

    private sealed record MashOutput([property: System.Text.Json.Serialization.JsonPropertyName("song")] string Song);

    /// <summary>The engine's stages as the job's: the stage's name and the whole mash's fraction.</summary>
    private sealed class StageProgress(IProgress<JobProgress> job) : IProgress<MashProgress>
    {
        public void Report(MashProgress value) => job.Report(new JobProgress(value.StageName, value.Overall));
    }
}
