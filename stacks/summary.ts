/** A Terraform object of the stack: `aws_instance.machine_a` or `data.aws_ami.machine_a`. */
export interface StackResource {
  address: string;
  type: string;
}

/** Every resource and data source in a synthesized tree, sorted by address. */
export function listResources(tree: unknown): StackResource[] {
  const root = tree as { resource?: Record<string, object>; data?: Record<string, object> };
  const found: StackResource[] = [];
  for (const [type, byName] of Object.entries(root.resource ?? {})) {
    for (const name of Object.keys(byName)) found.push({ address: `${type}.${name}`, type });
  }
  for (const [type, byName] of Object.entries(root.data ?? {})) {
    for (const name of Object.keys(byName)) found.push({ address: `data.${type}.${name}`, type });
  }
  return found.sort((a, b) => (a.address < b.address ? -1 : a.address > b.address ? 1 : 0));
}

/** `type.name` of the managed resources (no data sources), sorted: what a state can hold of the stack. */
export function managedAddresses(resources: readonly StackResource[]): string[] {
  return resources.filter((r) => !r.address.startsWith("data.")).map((r) => r.address);
}

// Reading order of the summary; types not listed follow alphabetically.
const LABELS: [type: string, singular: string, plural: string][] = [
  ["aws_vpc", "vpc", "vpcs"],
  ["aws_subnet", "subnet", "subnets"],
  ["aws_internet_gateway", "internet gateway", "internet gateways"],
  ["aws_route_table", "route table", "route tables"],
  ["aws_route", "route", "routes"],
  ["aws_route_table_association", "route table association", "route table associations"],
  ["aws_security_group", "security group", "security groups"],
  ["aws_network_interface", "network interface", "network interfaces"],
  ["aws_instance", "instance", "instances"],
  ["aws_lb", "load balancer", "load balancers"],
  ["aws_lb_target_group", "target group", "target groups"],
  ["aws_lb_listener", "listener", "listeners"],
  ["aws_lb_target_group_attachment", "target group attachment", "target group attachments"],
  ["aws_iam_user", "iam user", "iam users"],
  ["aws_iam_access_key", "iam access key", "iam access keys"],
  ["vsphere_virtual_machine", "virtual machine", "virtual machines"],
];

/** One line: "aws: 1 vpc, 2 subnets, ..., 5 instances (+3 data sources)". Managed resources only. */
export function summarize(provider: string, resources: StackResource[]): string {
  const managed = resources.filter((resource) => !resource.address.startsWith("data."));
  const counts = new Map<string, number>();
  for (const { type } of managed) counts.set(type, (counts.get(type) ?? 0) + 1);
  const known = LABELS.filter(([type]) => counts.has(type)).map(([type, singular, plural]) => {
    const count = counts.get(type) ?? 0;
    return `${count} ${count === 1 ? singular : plural}`;
  });
  const unknown = [...counts.keys()]
    .filter((type) => !LABELS.some(([labelled]) => labelled === type))
    .sort()
    .map((type) => `${counts.get(type)} ${type}`);
  const parts = [...known, ...unknown];
  const dataSources = resources.length - managed.length;
  const tail = dataSources > 0 ? ` (+${dataSources} data source${dataSources === 1 ? "" : "s"})` : "";
  return `${provider}: ${parts.length > 0 ? parts.join(", ") : "no resources"}${tail}`;
}
