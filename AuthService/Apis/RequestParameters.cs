using Microsoft.Net.Http.Headers;

namespace AuthService.Apis;

/// <summary>Reads one OAuth parameter from a form body (or the query where the contract allows it).</summary>
internal static class RequestParameters
{
    /// <summary>
    /// The value, or null when it is absent or repeated (RFC 6749 §3.1: parameters must not repeat).
    /// Only <c>application/x-www-form-urlencoded</c> bodies are read (RFC 6749 §4.1.3, and Salesforce's
    /// rule): a multipart or JSON body carries no parameters, so the caller gets a 400 naming what is missing.
    /// </summary>
    public static async Task<string?> ReadAsync(HttpRequest request, string name, bool queryToo = false)
    {
        if (IsUrlEncodedForm(request))
        {
            IFormCollection form;
            try
            {
                form = await request.ReadFormAsync(request.HttpContext.RequestAborted);
            }
            catch (InvalidDataException ex)
            {
                throw new BadHttpRequestException("The form body could not be read.", StatusCodes.Status400BadRequest, ex);
            }

            if (form.TryGetValue(name, out var values))
            {
                return values.Count == 1 ? values[0] : null;
            }
        }

        if (queryToo && request.Query.TryGetValue(name, out var queryValues))
        {
            return queryValues.Count == 1 ? queryValues[0] : null;
        }

        return null;
    }

    private static bool IsUrlEncodedForm(HttpRequest request) =>
        MediaTypeHeaderValue.TryParse(request.ContentType, out var contentType)
        && contentType.MediaType.Equals("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase);
}
