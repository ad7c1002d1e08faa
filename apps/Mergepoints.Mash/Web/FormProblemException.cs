namespace Mergepoints.Mash.Web;

/// <summary>A form the site cannot take, with the status to answer and one line for the person who sent it.</summary>
internal sealed class FormProblemException(int statusCode, string message) : Exception(message)
{
    public int StatusCode { get; } = statusCode;
}
