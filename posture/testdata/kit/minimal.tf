# DNS records for xn--bcher-kva.example, made by posturekit.

variable "zone_id" {
  description = "The Route 53 hosted zone of xn--bcher-kva.example"
  type        = string
}

# the mail servers, in order of preference
resource "aws_route53_record" "mx_apex" {
  zone_id = var.zone_id
  name    = "xn--bcher-kva.example"
  type    = "MX"
  ttl     = 3600
  records = [
    "10 mx.xn--bcher-kva.example.",
  ]
}

# SPF: the servers that may send mail as the domain
resource "aws_route53_record" "txt_apex" {
  zone_id = var.zone_id
  name    = "xn--bcher-kva.example"
  type    = "TXT"
  ttl     = 3600
  records = [
    "v=spf1 mx -all",
  ]
}

# DMARC: what receivers do with mail that fails SPF and DKIM alignment, and where reports go
resource "aws_route53_record" "txt__dmarc" {
  zone_id = var.zone_id
  name    = "_dmarc.xn--bcher-kva.example"
  type    = "TXT"
  ttl     = 3600
  records = [
    "v=DMARC1; p=none; rua=mailto:postmaster@xn--bcher-kva.example;",
  ]
}

# MTA-STS: announces the policy; change the id whenever the policy changes
resource "aws_route53_record" "txt__mta_sts" {
  zone_id = var.zone_id
  name    = "_mta-sts.xn--bcher-kva.example"
  type    = "TXT"
  ttl     = 3600
  records = [
    "v=STSv1; id=1;",
  ]
}

# TLS-RPT: where senders report TLS failures
resource "aws_route53_record" "txt__smtp__tls" {
  zone_id = var.zone_id
  name    = "_smtp._tls.xn--bcher-kva.example"
  type    = "TXT"
  ttl     = 3600
  records = [
    "v=TLSRPTv1; rua=mailto:postmaster@xn--bcher-kva.example",
  ]
}

# MTA-STS: the HTTPS server of the policy
resource "aws_route53_record" "cname_mta_sts" {
  zone_id = var.zone_id
  name    = "mta-sts.xn--bcher-kva.example"
  type    = "CNAME"
  ttl     = 3600
  records = [
    "sts.hosting.example.",
  ]
}
