# DNS records for example.com, made by posturekit.

variable "zone_id" {
  description = "The Route 53 hosted zone of example.com"
  type        = string
}

# CAA: the only certificate authorities that may issue for the domain
resource "aws_route53_record" "caa_apex" {
  zone_id = var.zone_id
  name    = "example.com"
  type    = "CAA"
  ttl     = 3600
  records = [
    "0 issue \"letsencrypt.org\"",
    "0 issue \"sectigo.com\"",
    "0 issuewild \"letsencrypt.org\"",
    "0 issuewild \"sectigo.com\"",
    "0 iodef \"mailto:security@example.com\"",
    "0 iodef \"https://example.com/security\"",
  ]
}

# the mail servers, in order of preference
resource "aws_route53_record" "mx_apex" {
  zone_id = var.zone_id
  name    = "example.com"
  type    = "MX"
  ttl     = 3600
  records = [
    "10 mx1.example.com.",
    "20 mx2.mail-provider.example.",
  ]
}

# SPF: the servers that may send mail as the domain
resource "aws_route53_record" "txt_apex" {
  zone_id = var.zone_id
  name    = "example.com"
  type    = "TXT"
  ttl     = 3600
  records = [
    "v=spf1 mx include:_spf.mail-provider.example ip4:192.0.2.0/24 ip6:2001:db8::25 -all",
  ]
}

# DMARC: what receivers do with mail that fails SPF and DKIM alignment, and where reports go
resource "aws_route53_record" "txt__dmarc" {
  zone_id = var.zone_id
  name    = "_dmarc.example.com"
  type    = "TXT"
  ttl     = 3600
  records = [
    "v=DMARC1; p=quarantine; rua=mailto:dmarc@example.com,mailto:reports@analytics.example;",
  ]
}

# MTA-STS: announces the policy; change the id whenever the policy changes
resource "aws_route53_record" "txt__mta_sts" {
  zone_id = var.zone_id
  name    = "_mta-sts.example.com"
  type    = "TXT"
  ttl     = 3600
  records = [
    "v=STSv1; id=20261122120000Z;",
  ]
}

# TLS-RPT: where senders report TLS failures
resource "aws_route53_record" "txt__smtp__tls" {
  zone_id = var.zone_id
  name    = "_smtp._tls.example.com"
  type    = "TXT"
  ttl     = 3600
  records = [
    "v=TLSRPTv1; rua=mailto:dmarc@example.com,mailto:reports@analytics.example",
  ]
}

# DKIM: the public key of selector rsa1
resource "aws_route53_record" "txt_rsa1__domainkey" {
  zone_id = var.zone_id
  name    = "rsa1._domainkey.example.com"
  type    = "TXT"
  ttl     = 3600
  records = [
    "v=DKIM1; k=rsa; p=MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA1pNdpMCExWxhYHZ6VkVM778E2G/dTypEqxdj6/u4DLUlK+EMJEvCAp5mYU/ecolpn1X5Cune9aH6W0qumIJs+8mRe6RRjrKfDvghcqx3Yr/s4dFPWK+6K5qEX6vFiAe8KgE28KBcR2nnl6jeY0PdSJRRDZJ63ZWfmdooM+vsZy8M3FDmP3jxXr29NeJNSPVuy\"\"Y0iV/LI0oiAreuTWbYQqxvWiAHQ9AGh17busyRZaCruVNsFndbDn+Y6mBBBp5UqNWENgAAZGnsDL42+YMpOUYsdw3+R+Zsuc4b7MST6y3qLWw0WqTn7Jl52nN9TDEiCRGZLAPIyglgD1YLHgKHyvwIDAQAB",
  ]
}

# DKIM: the public key of selector s2026
resource "aws_route53_record" "txt_s2026__domainkey" {
  zone_id = var.zone_id
  name    = "s2026._domainkey.example.com"
  type    = "TXT"
  ttl     = 3600
  records = [
    "v=DKIM1; k=ed25519; p=A6EHv/POEL4dcN0Y50vAmWfk1jCbpQ1fHdyGZBJVMbg=",
  ]
}
