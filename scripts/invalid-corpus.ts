// biome-ignore-all lint/suspicious/noTemplateCurlyInString: hostile Terraform syntax as plain values is part of the corpus.
// The generated part of fixtures/invalid: one bad manifest set per case, each
// a valid base with one thing changed. `npm run gen:invalid` writes
// fixtures/invalid/<case>.yaml with `# level:` (where the refusal happens
// under an API server) and the `# expect:` lines the validator gives today:
// review the diff of those lines whenever you regenerate.

/**
 * Where an API server refuses the case: `client` (kubectl itself: no such kind
 * or version), `server` (the API server's own object-metadata rules: names,
 * label and annotation syntax), `schema` (the CRD schema) or `controller` (the
 * server stores it; the controller reports InvalidConfiguration).
 */
export type Level = "client" | "server" | "schema" | "controller";
type Doc = Record<string, unknown>;
export interface CorpusCase {
  name: string;
  level: Level;
  docs: Doc[];
}

const API = "cluster.k8s.io/v1alpha1";
const LABEL = "cluster.k8s.io/cluster-name";
const AWS = "awsprovider/v1alpha1";
const VSPHERE = "vsphereproviderconfig/v1alpha1";

const awsMachineSpec = () => ({
  apiVersion: AWS,
  kind: "AWSMachineProviderSpec",
  ami: { id: "ami-04681a1dbd79675a5" },
  instanceType: "t3.micro",
});
const vsphereMachineSpec = () => ({
  apiVersion: VSPHERE,
  kind: "VsphereMachineProviderSpec",
  template: "ubuntu",
  datastore: "ds1",
  network: {
    devices: [{ networkName: "VM Network", ipAddrs: ["192.168.1.10/24"], gateway4: "192.168.1.1" }],
  },
});
const cluster = (): Doc => ({
  apiVersion: API,
  kind: "Cluster",
  metadata: { name: "c1" },
  spec: {
    clusterNetwork: {
      services: { cidrBlocks: ["10.96.0.0/12"] },
      pods: { cidrBlocks: ["192.168.0.0/16"] },
      serviceDomain: "cluster.local",
    },
    providerSpec: {
      value: {
        apiVersion: AWS,
        kind: "AWSClusterProviderSpec",
        region: "us-east-1",
        networkSpec: {
          vpc: { cidrBlock: "10.0.0.0/16" },
          subnets: [{ cidrBlock: "10.0.1.0/24", availabilityZone: "us-east-1a", isPublic: true }],
        },
      },
    },
  },
});
const vsphereCluster = (): Doc => ({
  apiVersion: API,
  kind: "Cluster",
  metadata: { name: "c1" },
  spec: {
    providerSpec: {
      value: {
        apiVersion: VSPHERE,
        kind: "VsphereClusterProviderSpec",
        server: "vcenter.example.com",
        datacenter: "dc1",
        credentialsSecret: { name: "vsphere-creds" },
      },
    },
  },
});
const machine = (spec: Doc = awsMachineSpec()): Doc => ({
  apiVersion: API,
  kind: "Machine",
  metadata: { name: "w1", labels: { [LABEL]: "c1" } },
  spec: { providerSpec: { value: spec }, versions: { kubelet: "1.13.6" } },
});
const owner = (kind: "MachineSet" | "MachineDeployment"): Doc => ({
  apiVersion: API,
  kind,
  metadata: { name: "pool", labels: { [LABEL]: "c1" } },
  spec: {
    replicas: 2,
    selector: { matchLabels: { pool: "a" } },
    template: {
      metadata: { labels: { pool: "a" } },
      spec: { providerSpec: { value: awsMachineSpec() }, versions: { kubelet: "1.13.6" } },
    },
  },
});
const machineClass = (): Doc => ({
  apiVersion: API,
  kind: "MachineClass",
  metadata: { name: "small" },
  providerSpec: { value: awsMachineSpec() },
});

const BASES = {
  Cluster: () => [cluster()],
  Machine: () => [cluster(), machine()],
  MachineSet: () => [cluster(), owner("MachineSet")],
  MachineDeployment: () => [cluster(), owner("MachineDeployment")],
  MachineClass: () => [cluster(), machineClass()],
  VsphereCluster: () => [vsphereCluster()],
  VsphereMachine: () => [vsphereCluster(), machine(vsphereMachineSpec())],
} as const;
type Base = keyof typeof BASES;
const TARGET: Record<Base, number> = {
  Cluster: 0,
  Machine: 1,
  MachineSet: 1,
  MachineDeployment: 1,
  MachineClass: 1,
  VsphereCluster: 0,
  VsphereMachine: 1,
};

const DELETE = Symbol("delete");
type Path = (string | number)[];

function set(doc: Doc, path: Path, value: unknown): void {
  let node: Record<string | number, unknown> = doc;
  for (const segment of path.slice(0, -1)) {
    if (typeof node[segment] !== "object" || node[segment] === null) node[segment] = {};
    node = node[segment] as Record<string | number, unknown>;
  }
  const last = path[path.length - 1] as string | number;
  if (value === DELETE) delete node[last];
  else node[last] = value;
}

const SPEC = ["spec", "providerSpec", "value"];
const TEMPLATE_SPEC = ["spec", "template", "spec", "providerSpec", "value"];
const NET = [...SPEC, "networkSpec"];

const cases: CorpusCase[] = [];
function add(name: string, level: Level, base: Base, ...changes: [Path, unknown][]): void {
  const docs = BASES[base]();
  for (const [path, value] of changes) set(docs[TARGET[base]] as Doc, path, value);
  cases.push({ name, level, docs });
}

// --- Every kind: type, apiVersion, metadata -------------------------------------------------
for (const base of ["Cluster", "Machine", "MachineSet", "MachineDeployment", "MachineClass"] as const) {
  const k = base.toLowerCase();
  add(`${k}-unknown-top-level-field`, "schema", base, [["extra"], true]);
  add(`${k}-name-uppercase`, "server", base, [["metadata", "name"], "Bad_Name"]);
  add(`${k}-namespace-invalid`, "server", base, [["metadata", "namespace"], "No.Dots"]);
  add(`${k}-name-not-a-string`, "server", base, [["metadata", "name"], 42]);
  add(`${k}-label-key-with-space`, "server", base, [["metadata", "labels", "bad key"], "v"]);
  add(`${k}-label-value-too-long`, "server", base, [["metadata", "labels", "team"], "x".repeat(64)]);
  add(`${k}-label-value-not-a-string`, "client", base, [["metadata", "labels", "team"], 7]);
  add(`${k}-annotation-key-two-slashes`, "server", base, [["metadata", "annotations", "a/b/c"], "v"]);
  add(`${k}-metadata-not-a-mapping`, "server", base, [["metadata"], "c1"]);
}
add("cluster-api-version-wrong", "client", "Cluster", [["apiVersion"], "cluster.x-k8s.io/v1beta1"]);
add("machine-kind-misspelled", "client", "Machine", [["kind"], "Machin"]);

// --- Cluster ----------------------------------------------------------------------------------
add("cluster-name-too-long-for-label", "controller", "Cluster", [["metadata", "name"], "c".repeat(64)]);
add("cluster-spec-not-a-mapping", "schema", "Cluster", [["spec"], "none"]);
add("cluster-cidr-blocks-not-a-list", "schema", "Cluster", [
  ["spec", "clusterNetwork", "pods", "cidrBlocks"],
  "192.168.0.0/16",
]);
add("cluster-cidr-block-not-a-string", "schema", "Cluster", [
  ["spec", "clusterNetwork", "pods", "cidrBlocks"],
  [42],
]);
add("cluster-cidr-host-bits", "controller", "Cluster", [
  ["spec", "clusterNetwork", "pods", "cidrBlocks"],
  ["192.168.1.0/16"],
]);
add("cluster-cidr-prefix-too-long", "controller", "Cluster", [
  ["spec", "clusterNetwork", "services", "cidrBlocks"],
  ["10.96.0.0/33"],
]);
add("cluster-cidr-garbage", "controller", "Cluster", [
  ["spec", "clusterNetwork", "services", "cidrBlocks"],
  ["ten.zero/8"],
]);
add("cluster-pods-overlap-services", "controller", "Cluster", [
  ["spec", "clusterNetwork", "pods", "cidrBlocks"],
  ["10.100.0.0/16"],
]);
add("cluster-pods-overlap-each-other", "controller", "Cluster", [
  ["spec", "clusterNetwork", "pods", "cidrBlocks"],
  ["192.168.0.0/16", "192.168.128.0/17"],
]);
add("cluster-service-domain-not-dns", "controller", "Cluster", [
  ["spec", "clusterNetwork", "serviceDomain"],
  "Cluster Local",
]);
add("cluster-service-domain-trailing-dot", "controller", "Cluster", [
  ["spec", "clusterNetwork", "serviceDomain"],
  "cluster.local.",
]);
add("cluster-service-domain-not-a-string", "schema", "Cluster", [
  ["spec", "clusterNetwork", "serviceDomain"],
  5,
]);
add("cluster-network-unknown-field", "schema", "Cluster", [
  ["spec", "clusterNetwork", "podCidr"],
  "10.0.0.0/8",
]);
add("cluster-provider-spec-missing", "controller", "Cluster", [["spec", "providerSpec"], DELETE]);
add("cluster-provider-spec-value-from", "controller", "Cluster", [
  ["spec", "providerSpec"],
  { valueFrom: { machineClass: { name: "x" } } },
]);
add("cluster-provider-machine-kind", "controller", "Cluster", [[...SPEC, "kind"], "AWSMachineProviderSpec"]);
add("cluster-region-missing", "controller", "Cluster", [[...SPEC, "region"], DELETE]);
add("cluster-region-empty", "controller", "Cluster", [[...SPEC, "region"], ""]);
add("cluster-region-format", "controller", "Cluster", [[...SPEC, "region"], "US East 1"]);
add("cluster-region-az-instead", "controller", "Cluster", [[...SPEC, "region"], "us-east-1a"]);
add("cluster-provider-unknown-field", "controller", "Cluster", [[...SPEC, "regoin"], "us-east-1"]);
add("cluster-ssh-key-not-a-string", "controller", "Cluster", [[...SPEC, "sshKeyName"], ["k"]]);
add("cluster-vpc-id-and-cidr", "controller", "Cluster", [[...NET, "vpc", "id"], "vpc-0123456789abcdef0"]);
add("cluster-vpc-cidr-too-large", "controller", "Cluster", [[...NET, "vpc", "cidrBlock"], "10.0.0.0/8"]);
add("cluster-vpc-cidr-ipv6", "controller", "Cluster", [[...NET, "vpc", "cidrBlock"], "fd00::/56"]);
add("cluster-vpc-cidr-host-bits", "controller", "Cluster", [[...NET, "vpc", "cidrBlock"], "10.0.0.1/16"]);
add("cluster-subnets-duplicate", "controller", "Cluster", [
  [...NET, "subnets", 1],
  { cidrBlock: "10.0.1.0/24", availabilityZone: "us-east-1a" },
]);
add("cluster-subnets-overlap", "controller", "Cluster", [
  [...NET, "subnets", 1],
  { cidrBlock: "10.0.0.0/20" },
]);
add("cluster-subnet-too-small", "controller", "Cluster", [
  [...NET, "subnets", 0, "cidrBlock"],
  "10.0.1.0/29",
]);
add("cluster-subnet-ipv6-in-ipv4-vpc", "controller", "Cluster", [
  [...NET, "subnets", 0, "cidrBlock"],
  "2600:1f18::/64",
]);
add("cluster-subnet-outside-vpc", "controller", "Cluster", [
  [...NET, "subnets", 0, "cidrBlock"],
  "172.16.0.0/24",
]);
add(
  "cluster-subnet-outside-default-vpc",
  "controller",
  "Cluster",
  [[...NET, "vpc"], DELETE],
  [[...NET, "subnets", 0, "cidrBlock"], "192.168.5.0/24"],
);
add("cluster-subnet-id-and-cidr", "controller", "Cluster", [
  [...NET, "subnets", 0, "id"],
  "subnet-0123456789abcdef0",
]);
add("cluster-subnet-neither-id-nor-cidr", "controller", "Cluster", [
  [...NET, "subnets", 0, "cidrBlock"],
  DELETE,
]);
add("cluster-subnet-new-in-existing-vpc", "controller", "Cluster", [
  [...NET, "vpc"],
  { id: "vpc-0123456789abcdef0" },
]);
add("cluster-subnet-existing-in-new-vpc", "controller", "Cluster", [
  [...NET, "subnets", 0],
  { id: "subnet-0123456789abcdef0" },
]);
add("cluster-subnet-zone-other-region", "controller", "Cluster", [
  [...NET, "subnets", 0, "availabilityZone"],
  "eu-west-1a",
]);
add("cluster-subnet-zone-garbage", "controller", "Cluster", [
  [...NET, "subnets", 0, "availabilityZone"],
  "zone a",
]);
add("cluster-subnet-is-public-string", "controller", "Cluster", [[...NET, "subnets", 0, "isPublic"], "yes"]);
add("cluster-subnets-not-a-list", "controller", "Cluster", [
  [...NET, "subnets"],
  { cidrBlock: "10.0.1.0/24" },
]);
add("cluster-tag-key-empty", "controller", "Cluster", [[...SPEC, "additionalTags"], { "": "v" }]);
add("cluster-tag-key-aws-prefix", "controller", "Cluster", [
  [...SPEC, "additionalTags"],
  { "aws:cloudformation:stack": "x" },
]);
add("cluster-tag-key-too-long", "controller", "Cluster", [
  [...SPEC, "additionalTags"],
  { ["k".repeat(129)]: "v" },
]);
add("cluster-tag-value-too-long", "controller", "Cluster", [
  [...SPEC, "additionalTags"],
  { owner: "v".repeat(257) },
]);
add("cluster-tag-value-control-char", "controller", "Cluster", [
  [...SPEC, "additionalTags"],
  { owner: "a\u0000b" },
]);
add("cluster-tag-value-not-a-string", "controller", "Cluster", [[...SPEC, "additionalTags"], { owner: 1 }]);
add("cluster-vpc-tag-aws-prefix", "controller", "Cluster", [[...NET, "vpc", "tags"], { "AWS:x": "y" }]);
add("cluster-subnet-tag-control-char", "controller", "Cluster", [
  [...NET, "subnets", 0, "tags"],
  { "a\tb": "y" },
]);
add("cluster-cloud-credentials-typo", "controller", "Cluster", [
  [...SPEC, "cloudCredentials"],
  { createAccesKey: true },
]);
add(
  "cluster-hostile-tag-beside-bad-region",
  "controller",
  "Cluster",
  [[...SPEC, "additionalTags"], { "${var.x}": "%{ if true }x%{ endif }" }],
  [[...SPEC, "region"], "${var.region}"],
);

// --- vSphere ----------------------------------------------------------------------------------
add("vsphere-cluster-server-missing", "controller", "VsphereCluster", [[...SPEC, "server"], DELETE]);
add("vsphere-cluster-secret-name-invalid", "controller", "VsphereCluster", [
  [...SPEC, "credentialsSecret", "name"],
  "Creds_For_VC",
]);
add("vsphere-cluster-secret-namespace-invalid", "controller", "VsphereCluster", [
  [...SPEC, "credentialsSecret", "namespace"],
  "kube.system",
]);
add("vsphere-cluster-secret-name-empty", "controller", "VsphereCluster", [
  [...SPEC, "credentialsSecret", "name"],
  "",
]);
add("vsphere-cluster-password-inline", "controller", "VsphereCluster", [[...SPEC, "password"], "hunter2"]);
add("vsphere-cluster-insecure-string", "controller", "VsphereCluster", [[...SPEC, "insecure"], "true"]);
add("vsphere-machine-template-missing", "controller", "VsphereMachine", [[...SPEC, "template"], DELETE]);
add("vsphere-machine-datastore-missing", "controller", "VsphereMachine", [[...SPEC, "datastore"], DELETE]);
add("vsphere-machine-no-devices", "controller", "VsphereMachine", [[...SPEC, "network", "devices"], []]);
add("vsphere-machine-ip-invalid", "controller", "VsphereMachine", [
  [...SPEC, "network", "devices", 0, "ipAddrs"],
  ["192.168.1.300/24"],
]);
add("vsphere-machine-ip-without-prefix", "controller", "VsphereMachine", [
  [...SPEC, "network", "devices", 0, "ipAddrs"],
  ["192.168.1.10"],
]);
add("vsphere-machine-gateway-ipv6", "controller", "VsphereMachine", [
  [...SPEC, "network", "devices", 0, "gateway4"],
  "fd00::1",
]);
add("vsphere-machine-gateway-outside-subnet", "controller", "VsphereMachine", [
  [...SPEC, "network", "devices", 0, "gateway4"],
  "10.0.0.1",
]);
add("vsphere-machine-cpus-zero", "controller", "VsphereMachine", [[...SPEC, "numCPUs"], 0]);
add("vsphere-machine-memory-tiny", "controller", "VsphereMachine", [[...SPEC, "memoryMiB"], 2]);
add("vsphere-machine-disk-fraction", "controller", "VsphereMachine", [[...SPEC, "diskGiB"], 1.5]);
add("vsphere-machine-no-datacenter", "controller", "VsphereMachine", [[...SPEC, "datastore"], "ds1"]);
cases[cases.length - 1]?.docs[0] &&
  set(cases[cases.length - 1]?.docs[0] as Doc, [...SPEC, "datacenter"], DELETE);

// --- Machine ----------------------------------------------------------------------------------
add("machine-cluster-label-missing", "controller", "Machine", [["metadata", "labels"], DELETE]);
add("machine-cluster-label-empty", "controller", "Machine", [["metadata", "labels", LABEL], ""]);
add("machine-cluster-not-found", "controller", "Machine", [["metadata", "labels", LABEL], "c2"]);
add("machine-spec-missing", "schema", "Machine", [["spec"], DELETE]);
add("machine-provider-spec-missing", "schema", "Machine", [["spec", "providerSpec"], DELETE]);
add("machine-provider-spec-empty", "controller", "Machine", [["spec", "providerSpec"], {}]);
add("machine-value-and-value-from", "controller", "Machine", [
  ["spec", "providerSpec", "valueFrom"],
  { machineClass: { name: "small" } },
]);
add("machine-value-from-no-name", "controller", "Machine", [
  ["spec", "providerSpec"],
  { valueFrom: { machineClass: {} } },
]);
add("machine-value-from-wrong-kind", "controller", "Machine", [
  ["spec", "providerSpec"],
  { valueFrom: { machineClass: { kind: "StorageClass", name: "small" } } },
]);
add("machine-value-from-class-missing", "controller", "Machine", [
  ["spec", "providerSpec"],
  { valueFrom: { machineClass: { name: "nope" } } },
]);
add("machine-provider-spec-not-a-mapping", "schema", "Machine", [[...SPEC], "t3.micro"]);
add("machine-provider-api-version-missing", "controller", "Machine", [[...SPEC, "apiVersion"], DELETE]);
add("machine-provider-api-version-unknown", "controller", "Machine", [
  [...SPEC, "apiVersion"],
  "gcpprovider/v1alpha1",
]);
add("machine-provider-kind-unknown", "controller", "Machine", [[...SPEC, "kind"], "AWSMachine"]);
add("machine-provider-cluster-kind", "controller", "Machine", [[...SPEC, "kind"], "AWSClusterProviderSpec"]);
add("machine-provider-vsphere-in-aws-cluster", "controller", "Machine", [[...SPEC], vsphereMachineSpec()]);
add("machine-instance-type-missing", "controller", "Machine", [[...SPEC, "instanceType"], DELETE]);
add("machine-instance-type-empty", "controller", "Machine", [[...SPEC, "instanceType"], ""]);
add("machine-instance-type-no-size", "controller", "Machine", [[...SPEC, "instanceType"], "t3"]);
add("machine-instance-type-uppercase", "controller", "Machine", [[...SPEC, "instanceType"], "T3.Micro"]);
add("machine-instance-type-number", "controller", "Machine", [[...SPEC, "instanceType"], 3]);
add("machine-ami-missing", "controller", "Machine", [[...SPEC, "ami"], DELETE]);
add("machine-ami-empty", "controller", "Machine", [[...SPEC, "ami"], {}]);
add("machine-ami-id-format", "controller", "Machine", [[...SPEC, "ami", "id"], "ami-XYZ"]);
add("machine-ami-id-not-ami", "controller", "Machine", [[...SPEC, "ami", "id"], "i-0123456789abcdef0"]);
add("machine-ami-id-and-filters", "controller", "Machine", [
  [...SPEC, "ami", "filters"],
  [{ name: "name", values: ["ubuntu-*"] }],
]);
add("machine-ami-filter-values-missing", "controller", "Machine", [
  [...SPEC, "ami"],
  { filters: [{ name: "name" }] },
]);
add("machine-ami-a-string", "controller", "Machine", [[...SPEC, "ami"], "ami-04681a1dbd79675a5"]);
add("machine-root-device-too-small", "controller", "Machine", [[...SPEC, "rootDeviceSize"], 4]);
add("machine-root-device-too-large", "controller", "Machine", [[...SPEC, "rootDeviceSize"], 16385]);
add("machine-root-device-negative", "controller", "Machine", [[...SPEC, "rootDeviceSize"], -8]);
add("machine-root-device-string", "controller", "Machine", [[...SPEC, "rootDeviceSize"], "20Gi"]);
add("machine-public-ip-string", "controller", "Machine", [[...SPEC, "publicIP"], "yes"]);
add("machine-zone-other-region", "controller", "Machine", [[...SPEC, "availabilityZone"], "eu-west-1a"]);
add("machine-zone-garbage", "controller", "Machine", [[...SPEC, "availabilityZone"], "zone-a"]);
add("machine-zone-without-subnet", "controller", "Machine", [[...SPEC, "availabilityZone"], "us-east-1b"]);
add("machine-subnet-id-and-filters", "controller", "Machine", [
  [...SPEC, "subnet"],
  { id: "subnet-0123456789abcdef0", filters: [{ name: "tag:x", values: ["y"] }] },
]);
add("machine-subnet-empty", "controller", "Machine", [[...SPEC, "subnet"], {}]);
add("machine-security-group-empty", "controller", "Machine", [[...SPEC, "additionalSecurityGroups"], [{}]]);
add("machine-security-groups-not-a-list", "controller", "Machine", [
  [...SPEC, "additionalSecurityGroups"],
  "sg-1",
]);
add("machine-tag-aws-prefix", "controller", "Machine", [
  [...SPEC, "additionalTags"],
  { "aws:autoscaling:groupName": "x" },
]);
add("machine-tag-value-newline", "controller", "Machine", [
  [...SPEC, "additionalTags"],
  { note: "line1\nline2" },
]);
add("machine-tags-a-list", "controller", "Machine", [[...SPEC, "additionalTags"], ["a=b"]]);
add("machine-iam-profile-object", "controller", "Machine", [[...SPEC, "iamInstanceProfile"], { name: "x" }]);
add("machine-versions-kubelet-missing", "schema", "Machine", [
  ["spec", "versions"],
  { controlPlane: "1.13.6" },
]);
add("machine-versions-kubelet-number", "schema", "Machine", [["spec", "versions", "kubelet"], 1.13]);
add("machine-taint-effect-unknown", "schema", "Machine", [
  ["spec", "taints"],
  [{ key: "dedicated", effect: "NoWay" }],
]);
add("machine-taint-key-missing", "schema", "Machine", [["spec", "taints"], [{ effect: "NoSchedule" }]]);
add("machine-taint-key-invalid", "controller", "Machine", [
  ["spec", "taints"],
  [{ key: "a b", effect: "NoSchedule" }],
]);
add("machine-taint-value-invalid", "controller", "Machine", [
  ["spec", "taints"],
  [{ key: "k", value: "v v", effect: "NoSchedule" }],
]);
add("machine-taints-not-a-list", "schema", "Machine", [
  ["spec", "taints"],
  { key: "k", effect: "NoSchedule" },
]);
// Kubernetes checks format: date-time in CRD schemas; the embedded server does not (yet).
add("machine-taint-time-not-a-date", "controller", "Machine", [
  ["spec", "taints"],
  [{ key: "k", effect: "NoSchedule", timeAdded: "yesterday" }],
]);
add("machine-node-label-invalid", "controller", "Machine", [
  ["spec", "metadata", "labels"],
  { "node role": "x" },
]);
add("machine-unknown-spec-field", "schema", "Machine", [["spec", "replicas"], 1]);
add("machine-provider-id-number", "schema", "Machine", [["spec", "providerID"], 123]);
add("machine-adopt-id-invalid", "controller", "Machine", [
  ["metadata", "annotations"],
  { "clusterform.io/adopt-instance-id": "not-an-id" },
]);
add("machine-on-delete-invalid", "controller", "Machine", [
  ["metadata", "annotations"],
  { "clusterform.io/on-delete": "keep" },
]);
add(
  "machine-hostile-tag-beside-bad-instance-type",
  "controller",
  "Machine",
  [[...SPEC, "additionalTags"], { "${aws_instance.x.id}": "$${already-escaped}" }],
  [[...SPEC, "instanceType"], "${var.type}"],
);

// --- MachineSet and MachineDeployment ---------------------------------------------------------
for (const base of ["MachineSet", "MachineDeployment"] as const) {
  const k = base === "MachineSet" ? "machineset" : "machinedeployment";
  add(`${k}-replicas-negative`, "schema", base, [["spec", "replicas"], -1]);
  add(`${k}-replicas-huge`, "schema", base, [["spec", "replicas"], 100000000]);
  add(`${k}-replicas-exponent`, "schema", base, [["spec", "replicas"], 1e12]);
  add(`${k}-replicas-2-to-the-32`, "schema", base, [["spec", "replicas"], 2 ** 32]);
  add(`${k}-replicas-over-maximum`, "schema", base, [["spec", "replicas"], 1001]);
  add(`${k}-replicas-fraction`, "schema", base, [["spec", "replicas"], 2.5]);
  add(`${k}-replicas-string`, "schema", base, [["spec", "replicas"], "3"]);
  add(`${k}-selector-missing`, "schema", base, [["spec", "selector"], DELETE]);
  add(`${k}-selector-empty`, "controller", base, [["spec", "selector"], {}]);
  add(`${k}-selector-does-not-match`, "controller", base, [["spec", "selector", "matchLabels", "pool"], "b"]);
  add(`${k}-selector-operator-unknown`, "controller", base, [
    ["spec", "selector", "matchExpressions"],
    [{ key: "pool", operator: "Equals", values: ["a"] }],
  ]);
  add(`${k}-selector-in-without-values`, "controller", base, [
    ["spec", "selector", "matchExpressions"],
    [{ key: "pool", operator: "In" }],
  ]);
  add(`${k}-selector-exists-with-values`, "controller", base, [
    ["spec", "selector", "matchExpressions"],
    [{ key: "pool", operator: "Exists", values: ["a"] }],
  ]);
  add(`${k}-selector-key-invalid`, "controller", base, [
    ["spec", "selector", "matchExpressions"],
    [{ key: "-pool", operator: "Exists" }],
  ]);
  add(
    `${k}-selector-value-invalid`,
    "controller",
    base,
    [["spec", "selector", "matchLabels", "pool"], "a b"],
    [["spec", "template", "metadata", "labels", "pool"], "a b"],
  );
  add(`${k}-selector-match-labels-a-list`, "schema", base, [["spec", "selector", "matchLabels"], ["pool=a"]]);
  add(`${k}-template-label-key-invalid`, "controller", base, [
    ["spec", "template", "metadata", "labels", "a b"],
    "x",
  ]);
  add(`${k}-template-annotation-key-invalid`, "controller", base, [
    ["spec", "template", "metadata", "annotations"],
    { "/x": "v" },
  ]);
  add(`${k}-cluster-label-disagrees`, "controller", base, [
    ["spec", "template", "metadata", "labels", LABEL],
    "c2",
  ]);
  add(`${k}-cluster-label-missing`, "controller", base, [["metadata", "labels"], DELETE]);
  add(`${k}-cluster-not-found`, "controller", base, [["metadata", "labels", LABEL], "c9"]);
  add(`${k}-template-class-missing`, "controller", base, [
    ["spec", "template", "spec", "providerSpec"],
    { valueFrom: { machineClass: { name: "nope" } } },
  ]);
  add(`${k}-template-instance-type-missing`, "controller", base, [
    [...TEMPLATE_SPEC, "instanceType"],
    DELETE,
  ]);
  add(`${k}-template-ami-format`, "controller", base, [[...TEMPLATE_SPEC, "ami", "id"], "ami-1"]);
  add(`${k}-template-taint-effect`, "schema", base, [
    ["spec", "template", "spec", "taints"],
    [{ key: "k", effect: "Never" }],
  ]);
  add(`${k}-min-ready-negative`, "schema", base, [["spec", "minReadySeconds"], -5]);
  add(
    `${k}-expanded-name-too-long`,
    "controller",
    base,
    [["metadata", "name"], "p".repeat(62)],
    [["spec", "replicas"], 10],
  );
}
add("machineset-delete-policy-unknown", "schema", "MachineSet", [["spec", "deletePolicy"], "Youngest"]);
add("machineset-template-spec-missing", "controller", "MachineSet", [["spec", "template", "spec"], DELETE]);
add("machinedeployment-template-missing", "schema", "MachineDeployment", [["spec", "template"], DELETE]);
add("machinedeployment-max-surge-negative", "controller", "MachineDeployment", [
  ["spec", "strategy"],
  { rollingUpdate: { maxSurge: -1 } },
]);
add("machinedeployment-max-unavailable-negative-percent", "controller", "MachineDeployment", [
  ["spec", "strategy"],
  { rollingUpdate: { maxUnavailable: "-10%" } },
]);
add("machinedeployment-max-surge-over-100", "controller", "MachineDeployment", [
  ["spec", "strategy"],
  { rollingUpdate: { maxSurge: "150%" } },
]);
add("machinedeployment-max-surge-word", "controller", "MachineDeployment", [
  ["spec", "strategy"],
  { rollingUpdate: { maxSurge: "one" } },
]);
add("machinedeployment-max-surge-fraction", "schema", "MachineDeployment", [
  ["spec", "strategy"],
  { rollingUpdate: { maxSurge: 1.5 } },
]);
add("machinedeployment-max-surge-boolean", "schema", "MachineDeployment", [
  ["spec", "strategy"],
  { rollingUpdate: { maxSurge: true } },
]);
add("machinedeployment-surge-and-unavailable-zero", "controller", "MachineDeployment", [
  ["spec", "strategy"],
  { rollingUpdate: { maxSurge: 0, maxUnavailable: "0%" } },
]);
add("machinedeployment-surge-zero-unavailable-default", "controller", "MachineDeployment", [
  ["spec", "strategy"],
  { rollingUpdate: { maxSurge: "0%" } },
]);
add("machinedeployment-strategy-type-recreate", "schema", "MachineDeployment", [
  ["spec", "strategy"],
  { type: "Recreate" },
]);
add(
  "machinedeployment-progress-deadline-below-min-ready",
  "controller",
  "MachineDeployment",
  [["spec", "minReadySeconds"], 300],
  [["spec", "progressDeadlineSeconds"], 60],
);
add(
  "machinedeployment-progress-deadline-equal-min-ready",
  "controller",
  "MachineDeployment",
  [["spec", "minReadySeconds"], 60],
  [["spec", "progressDeadlineSeconds"], 60],
);
add("machinedeployment-revision-history-negative", "schema", "MachineDeployment", [
  ["spec", "revisionHistoryLimit"],
  -1,
]);
add("machinedeployment-paused-string", "schema", "MachineDeployment", [["spec", "paused"], "nope"]);

// --- MachineClass -----------------------------------------------------------------------------
add("machineclass-provider-spec-missing", "schema", "MachineClass", [["providerSpec"], DELETE]);
add("machineclass-provider-spec-empty", "controller", "MachineClass", [["providerSpec"], {}]);
add("machineclass-instance-type-missing", "controller", "MachineClass", [
  ["providerSpec", "value", "instanceType"],
  DELETE,
]);
add("machineclass-cluster-spec", "controller", "MachineClass", [
  ["providerSpec", "value"],
  { apiVersion: AWS, kind: "AWSClusterProviderSpec", region: "us-east-1" },
]);
add("machineclass-raw-unknown-field", "controller", "MachineClass", [
  ["providerSpec"],
  { ...awsMachineSpec(), instanceTyp: "t3.micro" },
]);
add("machineclass-tag-too-long", "controller", "MachineClass", [
  ["providerSpec", "value", "additionalTags"],
  { k: "v".repeat(300) },
]);
add("machineclass-spec-field", "schema", "MachineClass", [["spec"], { providerSpec: {} }]);

// --- Across objects ---------------------------------------------------------------------------
{
  const docs = [cluster(), machine(), machine()];
  cases.push({ name: "machines-duplicate-name", level: "controller", docs });
}
{
  const docs = [cluster(), owner("MachineSet"), owner("MachineSet")];
  set(docs[2] as Doc, ["metadata", "name"], "pool2");
  set(docs[1] as Doc, ["spec", "replicas"], 600);
  set(docs[2] as Doc, ["spec", "replicas"], 600);
  cases.push({ name: "cluster-too-many-machines", level: "controller", docs });
}

export const CORPUS: readonly CorpusCase[] = cases;
