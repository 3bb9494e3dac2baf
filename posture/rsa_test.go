package posture

// rsaRecord is a DKIM record with a fixed 2048-bit RSA key (generated once
// for the tests), so that the golden files do not change from run to run.
const rsaRecord = "v=DKIM1; k=rsa; p=MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA1pNdpMCExWxhYHZ6VkVM778E2G/dTypEqxdj6/u4DLUlK+EMJEvCAp5mYU/ecolpn1X5Cune9aH6W0qumIJs+8mRe6RRjrKfDvghcqx3Yr/s4dFPWK+6K5qEX6vFiAe8KgE28KBcR2nnl6jeY0PdSJRRDZJ63ZWfmdooM+vsZy8M3FDmP3jxXr29NeJNSPVuyY0iV/LI0oiAreuTWbYQqxvWiAHQ9AGh17busyRZaCruVNsFndbDn+Y6mBBBp5UqNWENgAAZGnsDL42+YMpOUYsdw3+R+Zsuc4b7MST6y3qLWw0WqTn7Jl52nN9TDEiCRGZLAPIyglgD1YLHgKHyvwIDAQAB"
