using System.Collections.Concurrent;
using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.Repositories;

namespace ResourceService;

/// <summary>
/// Data Protection's key ring, kept in memory. Authentication brings Data Protection, whose default key ring is
/// written to ~/.aspnet at start; this service protects nothing (no cookies), so a dyno's disk stays untouched.
/// (<c>UseEphemeralDataProtectionProvider</c> alone still lets the key manager write its first key to disk.)
/// </summary>
internal sealed class InMemoryKeyRing : IXmlRepository
{
    private readonly ConcurrentQueue<XElement> _elements = new();

    public IReadOnlyCollection<XElement> GetAllElements() => [.. _elements.Select(element => new XElement(element))];

    public void StoreElement(XElement element, string friendlyName) => _elements.Enqueue(new XElement(element));
}
