# DNS records for parked.example, made by posturekit.

variable "zone_id" {
  description = "The Route 53 hosted zone of parked.example"
  type        = string
}

# CAA: the only certificate authorities that may issue for the domain
resource "aws_route53_record" "caa_apex" {
  zone_id = var.zone_id
  name    = "parked.example"
  type    = "CAA"
  ttl     = 3600
  records = [
    "0 issue \"letsencrypt.org\"",
    "0 issuewild \";\"",
    "0 issuemail \";\"",
    "0 iodef \"mailto:abuse@registrar.example\"",
  ]
}

# null MX (RFC 7505): the domain accepts no mail
resource "aws_route53_record" "mx_apex" {
  zone_id = var.zone_id
  name    = "parked.example"
  type    = "MX"
  ttl     = 3600
  records = [
    "0 .",
  ]
}

# SPF: no server may send mail as the domain
resource "aws_route53_record" "txt_apex" {
  zone_id = var.zone_id
  name    = "parked.example"
  type    = "TXT"
  ttl     = 3600
  records = [
    "v=spf1 -all",
  ]
}

# DKIM: every selector's key is revoked, so no signature can pass
resource "aws_route53_record" "txt_wildcard__domainkey" {
  zone_id = var.zone_id
  name    = "*._domainkey.parked.example"
  type    = "TXT"
  ttl     = 3600
  records = [
    "v=DKIM1; k=rsa; p=",
  ]
}

# DMARC: reject all mail in the domain's name, and of its subdomains
resource "aws_route53_record" "txt__dmarc" {
  zone_id = var.zone_id
  name    = "_dmarc.parked.example"
  type    = "TXT"
  ttl     = 3600
  records = [
    "v=DMARC1; p=reject;",
  ]
}
