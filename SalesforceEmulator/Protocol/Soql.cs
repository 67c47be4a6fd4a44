using System.Globalization;
using System.Text;

namespace SalesforceEmulator.Protocol;

/// <summary>A literal on the right of <c>WHERE field =</c>: a quoted string, or a bare word (<c>true</c>, <c>false</c>, <c>null</c>, a number).</summary>
public sealed record SoqlLiteral(string Text, bool Quoted);

/// <summary>A name in the query and where it stands (1-based column), for Salesforce's <c>ERROR at Row:1:Column:n</c> messages.</summary>
public sealed record SoqlName(string Name, int Column);

/// <summary>A parsed query of the subset the emulator runs: <c>SELECT f, … FROM Object [WHERE f = literal] [LIMIT n]</c>.</summary>
public sealed record SoqlQuery(string Text, IReadOnlyList<SoqlName> Fields, SoqlName SObject, SoqlName? WhereField, SoqlLiteral? WhereValue, int? Limit);

/// <summary>
/// Parses the SOQL subset of <c>GET /services/data/vNN.N/query?q=</c>. Anything outside it is <c>MALFORMED_QUERY</c>, the code
/// the REST API guide gives for an invalid query string (developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_query.htm).
/// The message shape (the query, a caret under the token, <c>ERROR at Row:1:Column:n</c>, then the reason) is Salesforce's as
/// widely reported; its exact words are [unverified].
/// </summary>
public static class Soql
{
    public const string MalformedQuery = "MALFORMED_QUERY";

    /// <summary>The query, or the REST error that refuses it.</summary>
    public static (SoqlQuery? Query, RestError? Error) Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return (null, new RestError("A query string has to be specified", MalformedQuery));
        }

        var tokens = Tokenize(text, out var badColumn);
        if (badColumn is { } column)
        {
            return (null, Error(text, column, MalformedQuery, $"unexpected token: '{text[column - 1]}'"));
        }

        var reader = new TokenReader(text, tokens);
        if (!reader.Keyword("SELECT"))
        {
            return (null, reader.Unexpected());
        }

        var fields = new List<SoqlName>();
        do
        {
            if (reader.Identifier() is not { } field)
            {
                return (null, reader.Unexpected());
            }

            fields.Add(field);
        }
        while (reader.Symbol(","));

        if (!reader.Keyword("FROM") || reader.Identifier() is not { } sObject)
        {
            return (null, reader.Unexpected());
        }

        SoqlName? whereField = null;
        SoqlLiteral? whereValue = null;
        if (reader.Keyword("WHERE"))
        {
            whereField = reader.Identifier();
            if (whereField is null || !reader.Symbol("=") || reader.Literal() is not { } literal)
            {
                return (null, reader.Unexpected());
            }

            whereValue = literal;
        }

        int? limit = null;
        if (reader.Keyword("LIMIT"))
        {
            if (reader.Literal() is not { Quoted: false } count || !int.TryParse(count.Text, NumberStyles.None, CultureInfo.InvariantCulture, out var n))
            {
                return (null, reader.Unexpected());
            }

            limit = n;
        }

        return reader.AtEnd ? (new SoqlQuery(text, fields, sObject, whereField, whereValue, limit), null) : (null, reader.Unexpected());
    }

    /// <summary>Salesforce's query-error message: the query, a caret under column <paramref name="column"/>, the position, the reason.</summary>
    public static RestError Error(string text, int column, string errorCode, string reason)
    {
        ArgumentNullException.ThrowIfNull(text);
        var line = text.ReplaceLineEndings(" ");
        return new RestError($"\n{line}\n{new string(' ', Math.Max(0, column - 1))}^\nERROR at Row:1:Column:{column}\n{reason}", errorCode);
    }

    private static List<Token> Tokenize(string text, out int? badColumn)
    {
        var tokens = new List<Token>();
        badColumn = null;
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (char.IsWhiteSpace(c))
            {
                i++;
            }
            else if (char.IsAsciiLetter(c) || c == '_' || char.IsAsciiDigit(c))
            {
                var start = i;
                while (i < text.Length && (char.IsAsciiLetterOrDigit(text[i]) || text[i] is '_' or '.'))
                {
                    i++;
                }

                tokens.Add(new Token(TokenKind.Word, text[start..i], start + 1));
            }
            else if (c is ',' or '=')
            {
                tokens.Add(new Token(TokenKind.Symbol, c.ToString(), i + 1));
                i++;
            }
            else if (c == '\'')
            {
                // A string literal; a backslash escapes the next character, as in SOQL.
                var start = i++;
                var value = new StringBuilder();
                while (i < text.Length && text[i] != '\'')
                {
                    if (text[i] == '\\' && i + 1 < text.Length)
                    {
                        i++;
                    }

                    value.Append(text[i++]);
                }

                if (i == text.Length)
                {
                    badColumn = start + 1;
                    return tokens;
                }

                i++;
                tokens.Add(new Token(TokenKind.String, value.ToString(), start + 1));
            }
            else
            {
                badColumn = i + 1;
                return tokens;
            }
        }

        return tokens;
    }

    private enum TokenKind
    {
        Word,
        Symbol,
        String,
    }

    private sealed record Token(TokenKind Kind, string Text, int Column);

    private sealed class TokenReader(string text, List<Token> tokens)
    {
        private int _next;

        public bool AtEnd => _next == tokens.Count;

        public bool Keyword(string keyword) =>
            Take(t => t.Kind == TokenKind.Word && string.Equals(t.Text, keyword, StringComparison.OrdinalIgnoreCase)) is not null;

        public bool Symbol(string symbol) => Take(t => t.Kind == TokenKind.Symbol && t.Text == symbol) is not null;

        public SoqlName? Identifier() =>
            Take(t => t.Kind == TokenKind.Word && !char.IsAsciiDigit(t.Text[0]) && !IsKeyword(t.Text)) is { } token ? new SoqlName(token.Text, token.Column) : null;

        public SoqlLiteral? Literal() =>
            Take(t => t.Kind is TokenKind.String or TokenKind.Word) is { } token ? new SoqlLiteral(token.Text, token.Kind == TokenKind.String) : null;

        /// <summary>MALFORMED_QUERY at the token that could not be read (or at the end of the query).</summary>
        public RestError Unexpected() => _next < tokens.Count
            ? Error(text, tokens[_next].Column, MalformedQuery, $"unexpected token: '{tokens[_next].Text}'")
            : Error(text, text.Length + 1, MalformedQuery, "unexpected token: '<EOF>'");

        private Token? Take(Func<Token, bool> match)
        {
            if (_next < tokens.Count && match(tokens[_next]))
            {
                return tokens[_next++];
            }

            return null;
        }

        private static bool IsKeyword(string word) => word.ToUpperInvariant() is "SELECT" or "FROM" or "WHERE" or "LIMIT";
    }
}
