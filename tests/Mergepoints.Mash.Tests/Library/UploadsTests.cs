using Mergepoints.Mash.Engine.Audio;
using Mergepoints.Mash.Library;
using Mergepoints.Mash.Tests.Infrastructure;
using Mergepoints.Middleware.Data;
using Mergepoints.Testing;
using Mergepoints.Testing.Audio;

namespace Mergepoints.Mash.Tests.Library;

/// <summary>
/// Uploads: kept up to the limit and refused past it the moment it is passed; sniffed by content, whatever the
/// name says; checked readable; and whatever is refused leaves nothing behind. The client's file name is a title.
/// </summary>
public sealed class UploadsTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(DatastoreKind.Sqlite)]
    [InlineData(DatastoreKind.Postgres)]
    public async Task An_upload_of_exactly_the_limit_is_kept(DatastoreKind kind)
    {
        var wav = WavOf(100 << 10);
        await using var test = await TestLibrary.CreateAsync(kind, new MashLibraryOptions { MaxUploadBytes = 100 << 10 });
        var owner = await test.AddUserAsync("ann");

        var song = await test.UploadAsync(wav, "song.wav", owner);

        Assert.Equal(wav.Length, song.Bytes);
        Assert.Equal(wav, await File.ReadAllBytesAsync(test.Library.Blobs.PathOf(song.BlobHash), Cancel));
        Assert.Empty(test.TemporaryFiles());
    }

    [Theory]
    [InlineData(DatastoreKind.Sqlite)]
    [InlineData(DatastoreKind.Postgres)]
    public async Task The_same_bytes_uploaded_again_by_the_same_person_are_the_song_they_uploaded_before(DatastoreKind kind)
    {
        var wav = Synth.SongWav(440, 0.5);
        await using var test = await TestLibrary.CreateAsync(kind);
        var (ann, bob) = (await test.AddUserAsync("ann"), await test.AddUserAsync("bob"));

        var first = await test.UploadAsync(wav, "first.wav", ann);
        var again = await test.UploadAsync(wav, "again.wav", ann);
        var bobs = await test.UploadAsync(wav, "bobs.wav", bob);

        Assert.Equal(first, again);
        Assert.Equal("first", again.Title);
        Assert.NotEqual(first.Id, bobs.Id);
        Assert.Equal(2, await test.Library.Songs.CountAsync(Cancel));
        Assert.Empty(test.TemporaryFiles());
    }

    [Theory]
    [InlineData(DatastoreKind.Sqlite)]
    [InlineData(DatastoreKind.Postgres)]
    public async Task One_byte_over_the_limit_is_413_and_leaves_nothing_in_blobs_or_tmp(DatastoreKind kind)
    {
        byte[] wav = [.. WavOf(100 << 10), 0];
        await using var test = await TestLibrary.CreateAsync(kind, new MashLibraryOptions { MaxUploadBytes = 100 << 10 });
        var owner = await test.AddUserAsync("ann");

        var error = await Assert.ThrowsAsync<UploadRejectedException>(() => test.UploadAsync(wav, "song.wav", owner));

        Assert.Equal(413, error.StatusCode);
        Assert.Equal("song.wav is larger than 100 KB, the most this site takes", error.Message);
        Assert.Empty(test.BlobFiles());
        Assert.Empty(test.TemporaryFiles());
        Assert.Equal(0, await test.Library.Songs.CountAsync(Cancel));
    }

    [Fact]
    public async Task The_limit_stops_reading_the_moment_it_is_passed()
    {
        await using var test = await TestLibrary.CreateAsync(DatastoreKind.Sqlite, new MashLibraryOptions { MaxUploadBytes = 1 << 20 });
        var endless = new EndlessWav();

        var error = await Assert.ThrowsAsync<UploadRejectedException>(() => test.Library.Uploads.AcceptAsync(endless, "live.wav", "ann", Cancel));

        Assert.Equal(("live.wav is larger than 1 MB, the most this site takes", 413), (error.Message, error.StatusCode));
        Assert.InRange(endless.Position, 1L << 20, (1L << 20) + (1 << 16));
        Assert.Empty(test.TemporaryFiles());
    }

    [Theory]
    [InlineData(DatastoreKind.Sqlite)]
    [InlineData(DatastoreKind.Postgres)]
    public async Task A_text_file_named_wav_is_415_and_says_it_looks_like_text(DatastoreKind kind)
    {
        await using var test = await TestLibrary.CreateAsync(kind);

        var error = await Assert.ThrowsAsync<UploadRejectedException>(() => test.UploadAsync("My notes, not a song at all.\n"u8.ToArray(), "notes.wav", "ann"));

        Assert.Equal((415, "notes.wav is not audio (it looks like text)"), (error.StatusCode, error.Message));
        Assert.Empty(test.BlobFiles());
        Assert.Empty(test.TemporaryFiles());
    }

    [Theory]
    [InlineData(new byte[0], "it is empty")]
    [InlineData(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G', 13, 10, 26, 10, 0, 0, 0, 13, 73, 72, 68, 82 }, "it looks like a PNG image")]
    [InlineData(new byte[] { (byte)'%', (byte)'P', (byte)'D', (byte)'F', (byte)'-', (byte)'1' }, "it looks like a PDF document")]
    [InlineData(new byte[] { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16 }, "its first bytes are no audio format this site reads: WAV, MP3, OGG, FLAC or M4A")]
    public async Task What_is_not_audio_is_415_saying_what_it_looks_like(byte[] bytes, string looksLike)
    {
        await using var test = await TestLibrary.CreateAsync(DatastoreKind.Sqlite);

        var error = await Assert.ThrowsAsync<UploadRejectedException>(() => test.UploadAsync(bytes, "x.mp3", "ann"));

        Assert.Equal((415, $"x.mp3 is not audio ({looksLike})"), (error.StatusCode, error.Message));
    }

    [Theory]
    [InlineData(DatastoreKind.Sqlite)]
    [InlineData(DatastoreKind.Postgres)]
    public async Task A_truncated_wav_is_422_with_the_readers_reason(DatastoreKind kind)
    {
        await using var test = await TestLibrary.CreateAsync(kind);
        var wav = Synth.SongWav(440, 0.5);

        var error = await Assert.ThrowsAsync<UploadRejectedException>(() => test.UploadAsync(wav[..(wav.Length / 2)], "cut.wav", "ann"));

        Assert.Equal(422, error.StatusCode);
        Assert.StartsWith("cut.wav: truncated WAV file: the data chunk declares ", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(test.DataDirectory, error.Message, StringComparison.Ordinal);
        Assert.Empty(test.BlobFiles());
        Assert.Empty(test.TemporaryFiles());
    }

    [Theory]
    [InlineData(DatastoreKind.Sqlite)]
    [InlineData(DatastoreKind.Postgres)]
    public async Task An_mp3_is_checked_through_ffmpeg_and_kept_as_audio_mpeg(DatastoreKind kind)
    {
        InstalledFfmpeg.Require();
        await using var test = await TestLibrary.CreateAsync(kind);
        var mp3 = await Mp3Async(Synth.SongWav(330, 1));

        var song = await test.UploadAsync(mp3, "tune.mp3", await test.AddUserAsync("ann"));

        Assert.Equal(("tune", "audio/mpeg", (long)mp3.Length), (song.Title, song.ContentType, song.Bytes));
        // As ffmpeg counts it: the encoder adds a frame or two of padding.
        Assert.InRange(song.DurationSeconds!.Value, 1, 1.1);
        Assert.Equal(mp3, await File.ReadAllBytesAsync(test.Library.Blobs.PathOf(song.BlobHash), Cancel));
    }

    [Theory]
    [InlineData(DatastoreKind.Sqlite)]
    [InlineData(DatastoreKind.Postgres)]
    public async Task A_wav_of_exactly_the_longest_length_is_kept_and_a_longer_one_is_413_naming_both_lengths(DatastoreKind kind)
    {
        await using var test = await TestLibrary.CreateAsync(kind, new MashLibraryOptions { MaxSongSeconds = 1 });
        var owner = await test.AddUserAsync("ann");

        var kept = await test.UploadAsync(Synth.SongWav(440, 1), "short.wav", owner);
        var error = await Assert.ThrowsAsync<UploadRejectedException>(() => test.UploadAsync(Synth.SongWav(440, 1.5), "long.wav", owner));

        Assert.Equal(1.0, kept.DurationSeconds);
        Assert.Equal((413, "long.wav is 0:02 long, longer than the 0:01 this site takes"), (error.StatusCode, error.Message));
        Assert.Equal([test.Library.Blobs.PathOf(kept.BlobHash)], test.BlobFiles());
        Assert.Empty(test.TemporaryFiles());
    }

    [Fact]
    public async Task An_mp3_longer_than_the_longest_length_is_413_though_only_its_start_is_decoded()
    {
        InstalledFfmpeg.Require();
        await using var test = await TestLibrary.CreateAsync(DatastoreKind.Sqlite, new MashLibraryOptions { MaxSongSeconds = 2 });
        var mp3 = await Mp3Async(Synth.SongWav(330, 3.5));

        var error = await Assert.ThrowsAsync<UploadRejectedException>(() => test.UploadAsync(mp3, "long.mp3", "ann"));

        Assert.Equal((413, "long.mp3 is 0:04 long, longer than the 0:02 this site takes"), (error.StatusCode, error.Message));
        Assert.Empty(test.BlobFiles());
    }

    [Fact]
    public async Task An_mp3_ffmpeg_cannot_decode_is_422_with_ffmpegs_words_under_the_senders_file_name()
    {
        InstalledFfmpeg.Require();
        await using var test = await TestLibrary.CreateAsync(DatastoreKind.Sqlite);

        var error = await Assert.ThrowsAsync<UploadRejectedException>(() => test.UploadAsync("ID3 and nothing an MP3 decoder could use"u8.ToArray(), "broken.mp3", "ann"));

        Assert.Equal(422, error.StatusCode);
        Assert.StartsWith("cannot decode broken.mp3: ffmpeg says: ", error.Message, StringComparison.Ordinal);
        Assert.Empty(test.TemporaryFiles());
    }

    [Fact]
    public async Task A_playlist_behind_an_id3_tag_is_422_and_ffmpeg_never_reads_the_file_it_names()
    {
        InstalledFfmpeg.Require();
        await using var test = await TestLibrary.CreateAsync(DatastoreKind.Sqlite);
        // A file on the server that ffmpeg would play as the playlist's one segment, were it left to guess the format.
        var source = Path.Combine(_directory.Path, "source.wav");
        var secret = Path.Combine(_directory.Path, "secret.ts");
        await File.WriteAllBytesAsync(source, Synth.SongWav(440, 1), Cancel);
        await InstalledFfmpeg.EncodeAsync(source, secret);
        byte[] upload = [.. "ID3\u0004\0\0\0\0\0\0"u8, .. System.Text.Encoding.UTF8.GetBytes(
            $"#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:2\n#EXTINF:1.0,\n{secret}\n#EXT-X-ENDLIST\n")];

        var error = await Assert.ThrowsAsync<UploadRejectedException>(() => test.UploadAsync(upload, "playlist.mp3", "ann"));

        Assert.Equal(422, error.StatusCode);
        Assert.StartsWith("cannot decode playlist.mp3: ffmpeg says: ", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, await test.Library.Songs.CountAsync(Cancel));
    }

    [Fact]
    public async Task Without_ffmpeg_an_mp3_is_503_naming_ffmpeg()
    {
        var missing = Path.Combine(_directory.Path, "no-ffmpeg-here");
        await using var test = await TestLibrary.CreateAsync(DatastoreKind.Sqlite, new MashLibraryOptions { FfmpegPath = missing });

        var error = await Assert.ThrowsAsync<UploadRejectedException>(() => test.UploadAsync([0xFF, 0xFB, 0x90, 0x64, .. new byte[400]], "tune.mp3", "ann"));

        Assert.Equal((503, $"cannot decode tune.mp3: this needs ffmpeg, which is not installed (cannot run '{missing}')"), (error.StatusCode, error.Message));
        Assert.Empty(test.TemporaryFiles());
    }

    [Theory]
    [InlineData("../../etc/passwd.wav", "passwd")]
    [InlineData("C:\\Users\\ann\\Music\\  Night Drive .wav", "Night Drive")]
    [InlineData("/tmp/evil\u0000name\r\n.wav", "evilname")]
    [InlineData("evil\u202Egnp.wav", "evilgnp")]
    [InlineData("zero\u200Bwidth\uFEFF.wav", "zerowidth")]
    [InlineData("..", "untitled")]
    [InlineData(".wav", ".wav")]
    [InlineData("", "untitled")]
    [InlineData("song", "song")]
    public async Task The_client_file_name_is_only_a_title_and_never_reaches_a_path(string fileName, string title)
    {
        await using var test = await TestLibrary.CreateAsync(DatastoreKind.Sqlite);

        var song = await test.UploadAsync(Synth.SongWav(440, 0.2), fileName, "ann");

        Assert.Equal(title, song.Title);
        // Under the data directory, the blob and the (empty) temporary folder are all there is: no file, no folder made from the name.
        var leaves = Directory.EnumerateFileSystemEntries(test.DataDirectory, "*", SearchOption.AllDirectories)
            .Where(entry => File.Exists(entry) || Directory.GetFileSystemEntries(entry).Length == 0);
        Assert.Equal([test.Library.Blobs.PathOf(song.BlobHash), test.Library.Blobs.TemporaryDirectory], leaves.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_long_file_name_is_a_title_of_200_characters()
    {
        await using var test = await TestLibrary.CreateAsync(DatastoreKind.Sqlite);

        var song = await test.UploadAsync(Synth.SongWav(440, 0.2), new string('x', 300) + ".wav", "ann");

        Assert.Equal(new string('x', 200), song.Title);
    }

    /// <summary>A stereo 16-bit WAV of exactly <paramref name="bytes"/> bytes (the header is 44, a frame 4).</summary>
    private static byte[] WavOf(int bytes)
    {
        var frames = (bytes - 44) / 4;
        var wav = WavWriter.ToBytes(Synth.Buffer(Synth.Sine(440, (double)frames / TestLibrary.Rate, TestLibrary.Rate), TestLibrary.Rate, 2));
        Assert.Equal(bytes, wav.Length);
        return wav;
    }

    private async Task<byte[]> Mp3Async(byte[] wav)
    {
        var source = Path.Combine(_directory.Path, "source.wav");
        var mp3 = Path.Combine(_directory.Path, "encoded.mp3");
        await File.WriteAllBytesAsync(source, wav, Cancel);
        await InstalledFfmpeg.EncodeAsync(source, mp3);
        return await File.ReadAllBytesAsync(mp3, Cancel);
    }

    public void Dispose() => _directory.Dispose();

    /// <summary>A WAV header and then silence forever: what a client that never stops sending looks like.</summary>
    private sealed class EndlessWav : Stream
    {
        private static readonly byte[] Header = WavWriter.ToBytes(AudioBuffer.Silence(2, 0, TestLibrary.Rate));

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get; set; }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var span = buffer.AsSpan(offset, count);
            span.Clear();
            if (Position < Header.Length)
            {
                Header.AsSpan((int)Position, Math.Min(count, Header.Length - (int)Position)).CopyTo(span);
            }
            Position += count;
            return count;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
