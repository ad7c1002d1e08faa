using System.Security.Cryptography;
using Mergepoints.Mash.Library;
using Mergepoints.Testing;

namespace Mergepoints.Mash.Tests.Library;

/// <summary>Blobs are files named by their SHA-256 under two levels of folders; nothing else ever names a path.</summary>
public sealed class BlobStoreTests : IDisposable
{
    private readonly TempDirectory _directory = new();
    private readonly BlobStore _blobs;

    public BlobStoreTests() => _blobs = new BlobStore(Path.Combine(_directory.Path, "blobs"));

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("../../etc/passwd")]
    [InlineData("")]
    [InlineData("ABCDEF0123456789abcdef0123456789abcdef0123456789abcdef0123456789")]
    [InlineData("abcdef0123456789abcdef0123456789abcdef0123456789abcdef012345678")]
    [InlineData("abcdef0123456789abcdef0123456789abcdef0123456789abcdef01234567890")]
    [InlineData("abcdef0123456789abcdef0123456789abcdef0123456789abcdef012345678g")]
    [InlineData("ab/def0123456789abcdef0123456789abcdef0123456789abcdef0123456789")]
    public void A_name_that_is_not_64_lowercase_hex_digits_is_refused(string hash) =>
        Assert.Throws<ArgumentException>(() => _blobs.PathOf(hash));

    [Fact]
    public void A_blob_lives_two_folders_down_under_its_hash()
    {
        var hash = Convert.ToHexStringLower(SHA256.HashData("x"u8));

        Assert.Equal(Path.Combine(_directory.Path, "blobs", hash[..2], hash[2..4], hash), _blobs.PathOf(hash));
    }

    [Fact]
    public async Task Staged_bytes_are_committed_under_their_hash_and_the_same_bytes_twice_are_one_file()
    {
        var bytes = new byte[200_000];
        new Random(7).NextBytes(bytes);

        var first = await CommitAsync(bytes);
        var second = await CommitAsync(bytes);

        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes)), first);
        Assert.Equal(first, second);
        Assert.Equal(bytes, await File.ReadAllBytesAsync(_blobs.PathOf(first), Cancel));
        Assert.Single(Directory.GetFiles(Path.Combine(_directory.Path, "blobs"), "*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task A_file_written_by_someone_else_into_the_stage_is_hashed_when_sealed()
    {
        await using var staged = _blobs.Stage();
        await File.WriteAllTextAsync(staged.Path, "written by the engine", Cancel);

        var hash = await staged.SealAsync(Cancel);

        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData("written by the engine"u8)), hash);
        Assert.Equal(21, staged.Length);
    }

    [Fact]
    public async Task A_stage_disposed_before_its_commit_leaves_nothing()
    {
        await using (var staged = _blobs.Stage())
        {
            await staged.WriteAsync("half an upload"u8.ToArray(), Cancel);
        }

        Assert.Empty(Directory.GetFiles(Path.Combine(_directory.Path, "blobs"), "*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task A_delete_puts_the_blob_back_when_the_same_bytes_were_taken_meanwhile()
    {
        var hash = await CommitAsync("shared"u8.ToArray());

        var deleted = await _blobs.DeleteAsync(hash, _ => Task.FromResult(false), Cancel);

        Assert.False(deleted);
        Assert.Equal("shared", await File.ReadAllTextAsync(_blobs.PathOf(hash), Cancel));
        Assert.Empty(Directory.GetFiles(_blobs.TemporaryDirectory));
    }

    [Fact]
    public async Task A_delete_whose_blob_was_committed_again_meanwhile_keeps_one_file_and_leaves_nothing_aside()
    {
        var hash = await CommitAsync("shared"u8.ToArray());

        // An upload of the same bytes commits its file while the delete has the old one aside, then holds it.
        var deleted = await _blobs.DeleteAsync(hash, async _ =>
        {
            Assert.Equal(hash, await CommitAsync("shared"u8.ToArray()));
            return false;
        }, Cancel);

        Assert.False(deleted);
        Assert.Equal("shared", await File.ReadAllTextAsync(_blobs.PathOf(hash), Cancel));
        Assert.Empty(Directory.GetFiles(_blobs.TemporaryDirectory));
    }

    [Fact]
    public async Task A_delete_of_a_blob_nobody_holds_removes_it_and_a_second_finds_nothing()
    {
        var hash = await CommitAsync("alone"u8.ToArray());

        Assert.True(await _blobs.DeleteAsync(hash, _ => Task.FromResult(true), Cancel));
        Assert.False(await _blobs.DeleteAsync(hash, _ => Task.FromResult(true), Cancel));
        Assert.False(File.Exists(_blobs.PathOf(hash)));
        Assert.Empty(Directory.GetFiles(_blobs.TemporaryDirectory));
    }

    private async Task<string> CommitAsync(byte[] bytes)
    {
        await using var staged = _blobs.Stage();
        await staged.WriteAsync(bytes, Cancel);
        await staged.SealAsync(Cancel);
        return _blobs.Commit(staged);
    }

    public void Dispose() => _directory.Dispose();
}
