// Each collection starts a whole Aspire app; two at once on a 2-core machine only slow each other down.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
