// The published-services tests start several processes and publish three projects: on a 2-core machine,
// running other classes beside them only slows both down.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
