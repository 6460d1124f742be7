import { Construct } from 'constructs';
import {
  Certificate,
  CertificateSpecPrivateKeyAlgorithm,
  CertificateSpecPrivateKeyRotationPolicy,
  CertificateSpecUsages,
  Issuer,
} from '../imports/cert-manager.io';
import { invalid } from './labels';

/** Lifetimes cert-manager reads as Go durations (hours). */
const CA_DURATION = '87600h'; // 10 years: the root is only ever trusted inside the namespace.
const CA_RENEW_BEFORE = '8760h';
const SERVER_DURATION = '2160h'; // 90 days, cert-manager's default.
const SERVER_RENEW_BEFORE = '720h';

export interface InClusterCaProps {
  /** Name of the CA: its Certificate, Secret and CA Issuer; the bootstrap self-signing Issuer is `<name>-selfsigned`. */
  readonly name: string;
  /** Namespace of the issuers, certificates and secrets (namespaced Issuers: the CA signs nothing outside it). */
  readonly namespace: string;
  /** Common name of the CA certificate. */
  readonly commonName: string;
  /** Labels on every object. @default {} */
  readonly labels?: Readonly<Record<string, string>>;
}

export interface ServerCertificateOptions {
  /** Name of the Certificate and of the Secret cert-manager writes (`tls.crt`, `tls.key`, `ca.crt`). */
  readonly name: string;
  /** DNS names clients dial (the certificate must name each, clients verify the host). */
  readonly dnsNames: readonly string[];
  /** IP addresses clients dial (loopback for in-pod probes). @default [] */
  readonly ipAddresses?: readonly string[];
}

/**
 * A private CA run by cert-manager inside one namespace: a self-signed bootstrap Issuer signs the CA Certificate, and
 * a CA Issuer over its Secret signs server certificates (`issueServerCertificate`). For data stores whose upstream
 * image has no operator of its own to mint certificates (Strimzi and CloudNativePG do, Redis does not).
 */
export class InClusterCa extends Construct {
  /** Secret holding the CA; clients mount only its `ca.crt` (it also holds the CA key). */
  public readonly caSecretName: string;
  /** The namespaced CA Issuer that signs server certificates. */
  public readonly issuerName: string;

  private readonly props: InClusterCaProps;

  constructor(scope: Construct, id: string, props: InClusterCaProps) {
    super(scope, id);
    if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(props.name))
      invalid(`InClusterCa(${props.name})`, 'name must be a DNS label');
    this.props = props;
    this.caSecretName = props.name;
    this.issuerName = props.name;
    const metadata = (name: string) => ({ name, namespace: props.namespace, labels: { ...props.labels } });

    const bootstrap = new Issuer(this, 'selfsigned', {
      metadata: metadata(`${props.name}-selfsigned`),
      spec: { selfSigned: {} },
    });
    new Certificate(this, 'ca', {
      metadata: metadata(props.name),
      spec: {
        isCa: true,
        commonName: props.commonName,
        secretName: this.caSecretName,
        duration: CA_DURATION,
        renewBefore: CA_RENEW_BEFORE,
        privateKey: {
          algorithm: CertificateSpecPrivateKeyAlgorithm.ECDSA,
          size: 256,
          rotationPolicy: CertificateSpecPrivateKeyRotationPolicy.ALWAYS,
        },
        issuerRef: { group: 'cert-manager.io', kind: 'Issuer', name: bootstrap.name },
      },
    });
    new Issuer(this, 'issuer', {
      metadata: metadata(this.issuerName),
      spec: { ca: { secretName: this.caSecretName } },
    });
  }

  /** A server certificate signed by this CA, for both ends of TLS (servers that also dial each other, such as replicas). */
  public issueServerCertificate(id: string, options: ServerCertificateOptions): string {
    const where = `InClusterCa(${this.props.name}).issueServerCertificate(${options.name})`;
    if (options.dnsNames.length === 0) invalid(where, 'at least one DNS name is needed');
    new Certificate(this, id, {
      metadata: { name: options.name, namespace: this.props.namespace, labels: { ...this.props.labels } },
      spec: {
        secretName: options.name,
        commonName: options.dnsNames[0],
        dnsNames: [...options.dnsNames],
        ...(options.ipAddresses?.length ? { ipAddresses: [...options.ipAddresses] } : {}),
        duration: SERVER_DURATION,
        renewBefore: SERVER_RENEW_BEFORE,
        usages: [
          CertificateSpecUsages.SERVER_AUTH,
          CertificateSpecUsages.CLIENT_AUTH,
          CertificateSpecUsages.DIGITAL_SIGNATURE,
        ],
        privateKey: {
          algorithm: CertificateSpecPrivateKeyAlgorithm.ECDSA,
          size: 256,
          rotationPolicy: CertificateSpecPrivateKeyRotationPolicy.ALWAYS,
        },
        issuerRef: { group: 'cert-manager.io', kind: 'Issuer', name: this.issuerName },
      },
    });
    return options.name;
  }
}
