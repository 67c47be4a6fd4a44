using System.Text.Json;
using System.Web;

namespace SalesforceIdentity.Tests;

/// <summary>One documented answer of <c>tests/TestSupport/salesforce-answers.jsonc</c>.</summary>
public sealed record DocumentedAnswer(int Status, string? ContentType, JsonElement Body);

/// <summary>
/// Salesforce's documented answers: compares an emulator's answer with one by shape, or puts one on the wire as
/// Salesforce would send it, for a fake primary handler of the AuthService's own HttpClient.
/// </summary>
public static class SalesforceAnswers
{
    private static readonly JsonDocumentOptions Options = new() { CommentHandling = JsonCommentHandling.Skip };

    public static IReadOnlyDictionary<string, DocumentedAnswer> All { get; } = Load();

    /// <summary>
    /// Same status, same media type, and for a JSON body the same member names and JSON kinds at every level (values differ);
    /// a plain-text body must be equal, a form body must have the same field names.
    /// </summary>
    public static async Task AssertSameShapeAsync(string name, HttpResponseMessage actual)
    {
        ArgumentNullException.ThrowIfNull(actual);
        var documented = All[name];
        var text = await actual.Content.ReadAsStringAsync();
        Assert.True(documented.Status == (int)actual.StatusCode, $"{name}: status {(int)actual.StatusCode}, documented {documented.Status}: {text}");
        Assert.Equal(documented.ContentType, actual.Content.Headers.ContentType?.MediaType);
        if (documented.Body.ValueKind != JsonValueKind.String)
        {
            using var body = JsonDocument.Parse(text);
            AssertSameShape(documented.Body, body.RootElement, name);
        }
        else if (documented.ContentType == "application/x-www-form-urlencoded")
        {
            Assert.Equal(FieldNames(documented.Body.GetString()!), FieldNames(text));
        }
        else
        {
            Assert.Equal(documented.Body.GetString(), text);
        }
    }

    private static void AssertSameShape(JsonElement documented, JsonElement actual, string path)
    {
        Assert.True(Kind(documented) == Kind(actual), $"{path}: {Kind(actual)} where Salesforce sends {Kind(documented)}");
        if (documented.ValueKind == JsonValueKind.Object)
        {
            var names = documented.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal).ToArray();
            Assert.True(
                names.SequenceEqual(actual.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal)),
                $"{path}: members [{string.Join(", ", actual.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal))}] where Salesforce sends [{string.Join(", ", names)}]");
            foreach (var property in documented.EnumerateObject())
            {
                AssertSameShape(property.Value, actual.GetProperty(property.Name), $"{path}.{property.Name}");
            }
        }
        else if (documented.ValueKind == JsonValueKind.Array && documented.GetArrayLength() > 0)
        {
            Assert.True(actual.GetArrayLength() > 0, $"{path}: an empty array where Salesforce sends items");
            foreach (var item in actual.EnumerateArray())
            {
                AssertSameShape(documented[0], item, $"{path}[]");
            }
        }
    }

    /// <summary>Names of the documented answers that start with <paramref name="prefix"/>, in order.</summary>
    public static IEnumerable<string> Names(string prefix) =>
        All.Keys.Where(name => name.StartsWith(prefix, StringComparison.Ordinal)).Order(StringComparer.Ordinal);

    /// <summary>The documented body, to read or to change before <see cref="Response"/>.</summary>
    public static System.Text.Json.Nodes.JsonNode Body(string name) => System.Text.Json.Nodes.JsonNode.Parse(All[name].Body.GetRawText())!;

    /// <summary>The documented answer (or <paramref name="body"/> in its place) as Salesforce puts it on the wire.</summary>
    public static HttpResponseMessage Response(string name, System.Text.Json.Nodes.JsonNode? body = null)
    {
        var documented = All[name];
        var text = body is not null
            ? (body.GetValueKind() == JsonValueKind.String ? body.GetValue<string>() : body.ToJsonString())
            : documented.Body.ValueKind == JsonValueKind.String ? documented.Body.GetString()! : documented.Body.GetRawText();
        return new HttpResponseMessage((System.Net.HttpStatusCode)documented.Status)
        {
            Content = documented.ContentType is null
                ? new ByteArrayContent([])
                : new StringContent(text, System.Text.Encoding.UTF8, documented.ContentType),
        };
    }

    private static string Kind(JsonElement element) => element.ValueKind is JsonValueKind.True or JsonValueKind.False ? "boolean" : element.ValueKind.ToString();

    private static string[] FieldNames(string form)
    {
        var fields = HttpUtility.ParseQueryString(form);
        return [.. fields.AllKeys.Select(k => k ?? "").Order(StringComparer.Ordinal)];
    }

    private static Dictionary<string, DocumentedAnswer> Load()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Fixtures", "salesforce-answers.jsonc");
        using var document = JsonDocument.Parse(File.ReadAllText(path), Options);
        return document.RootElement.EnumerateObject().ToDictionary(
            p => p.Name,
            p => new DocumentedAnswer(
                p.Value.GetProperty("status").GetInt32(),
                p.Value.GetProperty("contentType").GetString(),
                p.Value.GetProperty("body").Clone()),
            StringComparer.Ordinal);
    }
}
