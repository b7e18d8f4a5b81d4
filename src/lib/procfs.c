/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "procfs.h"

/* Digits of s[0..len) as a u64; -EINVAL for no digits or others, -ERANGE on overflow. */
static int parse_u64_len(const char *s, size_t len, uint64_t *ret)
{
	uint64_t v = 0;

	if (len == 0)
		return -EINVAL;
	for (size_t i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -EINVAL;
		unsigned d = (unsigned)(s[i] - '0');
		if (v > (UINT64_MAX - d) / 10)
			return -ERANGE;
		v = v * 10 + d;
	}
	*ret = v;
	return 0;
}

int procfs_parse_u64(const char *s, uint64_t *ret)
{
	return parse_u64_len(s, strlen(s), ret);
}

int procfs_parse_pid(const char *s, pid_t *ret)
{
	uint64_t v;
	int r = procfs_parse_u64(s, &v);

	if (r < 0)
		return -EINVAL;
	if (v == 0 || v > INT_MAX)
		return -EINVAL;
	*ret = (pid_t)v;
	return 0;
}

int procfs_parse_nsarg(const char *s, int *ret_type, uint64_t *ret_ino)
{
	const char *colon = strchr(s, ':');
	size_t len = strlen(s);
	enum nstype t;
	uint64_t ino;

	if (!colon) {
		if (parse_u64_len(s, len, &ino) < 0 || ino == 0)
			return -EINVAL;
		*ret_type = -1;
		*ret_ino = ino;
		return 0;
	}
	if (colon[1] == '[') {
		if (procfs_parse_nslink(s, len, &t, &ino) < 0)
			return -EINVAL;
	} else {
		int type = nstype_from_name_len(s, (size_t)(colon - s));
		if (type < 0 || parse_u64_len(colon + 1, strlen(colon + 1), &ino) < 0 || ino == 0)
			return -EINVAL;
		t = (enum nstype)type;
	}
	*ret_type = (int)t;
	*ret_ino = ino;
	return 0;
}

int procfs_parse_nslink(const char *buf, size_t len, enum nstype *ret_type, uint64_t *ret_ino)
{
	const char *colon = memchr(buf, ':', len);
	uint64_t ino;
	int type;

	/* shortest valid form is "x:[0]" */
	if (!colon || len < 5)
		return -EINVAL;
	type = nstype_from_name_len(buf, (size_t)(colon - buf));
	if (type < 0)
		return -EINVAL;
	const char *open = colon + 1, *end = buf + len;
	if (end - open < 3 || open[0] != '[' || end[-1] != ']')
		return -EINVAL;
	if (parse_u64_len(open + 1, (size_t)(end - open - 2), &ino) < 0 || ino == 0)
		return -EINVAL;
	*ret_type = (enum nstype)type;
	*ret_ino = ino;
	return 0;
}

int procfs_parse_stat(const char *buf, size_t len, struct procfs_stat *ret)
{
	const char *open = memchr(buf, '(', len), *close = NULL;
	const char *end = buf + len;

	if (!open)
		return -EINVAL;
	for (const char *p = end; p > open; p--)
		if (p[-1] == ')') {
			close = p - 1;
			break;
		}
	if (!close)
		return -EINVAL;

	size_t clen = (size_t)(close - open - 1);
	if (clen > PROCFS_COMM_MAX)
		clen = PROCFS_COMM_MAX;

	/* after ") " come the state and the ppid */
	const char *p = close + 1;
	if (end - p < 4 || p[0] != ' ' || p[2] != ' ')
		return -EINVAL;
	char state = p[1];
	p += 3;
	const char *q = p;
	while (q < end && *q >= '0' && *q <= '9')
		q++;
	/* the ppid must be followed by more fields: a number cut by a short read is refused */
	if (q == p || q == end || (*q != ' ' && *q != '\n'))
		return -EINVAL;
	uint64_t ppid;
	if (parse_u64_len(p, (size_t)(q - p), &ppid) < 0 || ppid > INT_MAX)
		return -EINVAL;

	memcpy(ret->comm, open + 1, clen);
	ret->comm[clen] = '\0';
	ret->state = state;
	ret->ppid = (pid_t)ppid;
	return 0;
}

/* Length of the valid, printable UTF-8 sequence at s (0 if it is not one). */
static size_t utf8_printable_len(const unsigned char *s, size_t len)
{
	size_t n;
	uint32_t cp;

	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		n = 2;
		cp = s[0] & 0x1f;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		n = 3;
		cp = s[0] & 0x0f;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		n = 4;
		cp = s[0] & 0x07;
	} else
		return 0;
	if (len < n)
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	/* reject overlong forms, surrogates, out of range and the C1 controls */
	if ((n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) || cp > 0x10ffff ||
	    (cp >= 0xd800 && cp <= 0xdfff) || (cp >= 0x80 && cp <= 0x9f) ||
	    cp == 0x2028 || cp == 0x2029)
		return 0;
	return n;
}

size_t procfs_escape(const char *in, size_t len, char *out, size_t outsz)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *s = (const unsigned char *)in;
	size_t o = 0;

	if (outsz == 0)
		return 0;
	for (size_t i = 0; i < len;) {
		size_t n = 1;

		if (s[i] >= 0x20 && s[i] < 0x7f && !(s[i] == '\\' && i + 1 < len && s[i + 1] == 'x')) {
			if (o + 1 >= outsz)
				break;
			out[o++] = (char)s[i];
		} else if (s[i] >= 0x80 && (n = utf8_printable_len(s + i, len - i)) > 0) {
			if (o + n >= outsz)
				break;
			memcpy(out + o, s + i, n);
			o += n;
		} else {
			n = 1;
			if (o + 4 >= outsz)
				break;
			out[o++] = '\\';
			out[o++] = 'x';
			out[o++] = hex[s[i] >> 4];
			out[o++] = hex[s[i] & 0xf];
		}
		i += n;
	}
	out[o] = '\0';
	return o;
}

size_t procfs_format_cmdline(const char *in, size_t len, char *out, size_t outsz)
{
	size_t o = 0;

	while (len > 0 && in[len - 1] == '\0')
		len--;
	if (outsz == 0)
		return 0;
	out[0] = '\0';
	for (size_t i = 0; i < len;) {
		const char *nul = memchr(in + i, '\0', len - i);
		size_t arglen = nul ? (size_t)(nul - (in + i)) : len - i;

		if (i > 0) {
			if (o + 1 >= outsz)
				break;
			out[o++] = ' ';
			out[o] = '\0';
		}
		size_t n = arglen < outsz - o - 1 ? arglen : outsz - o - 1;
		memcpy(out + o, in + i, n);
		o += n;
		out[o] = '\0';
		if (n < arglen)
			break;
		i += arglen + 1;
	}
	return o;
}

int procfs_parse_nspid(const char *buf, size_t len, pid_t *out, size_t max, size_t *ret_n)
{
	static const char key[] = "NSpid:";
	const char *end = buf + len, *p = buf;

	/* find the line that starts with the key */
	for (;;) {
		if ((size_t)(end - p) >= sizeof(key) - 1 && memcmp(p, key, sizeof(key) - 1) == 0)
			break;
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		if (!nl)
			return -EINVAL;
		p = nl + 1;
	}
	p += sizeof(key) - 1;
	size_t n = 0;
	for (;;) {
		while (p < end && (*p == ' ' || *p == '\t'))
			p++;
		if (p == end || *p == '\n')
			break;
		const char *q = p;
		while (q < end && *q >= '0' && *q <= '9')
			q++;
		uint64_t v;
		if (q == p || (q < end && *q != ' ' && *q != '\t' && *q != '\n') ||
		    parse_u64_len(p, (size_t)(q - p), &v) < 0 || v == 0 || v > INT_MAX)
			return -EINVAL;
		if (n < max)
			out[n] = (pid_t)v;
		n++;
		p = q;
	}
	if (n == 0)
		return -EINVAL;
	*ret_n = n;
	return 0;
}

/* Split the next line of in into up to max whitespace-separated fields. */
static int next_fields(const char **cur, const char *end, const char **f, size_t *flen, int max)
{
	const char *p = *cur;
	int n = 0;

	while (p < end && *p != '\n') {
		while (p < end && (*p == ' ' || *p == '\t'))
			p++;
		if (p == end || *p == '\n')
			break;
		const char *q = p;
		while (q < end && *q != ' ' && *q != '\t' && *q != '\n')
			q++;
		if (n == max)
			return -EINVAL;
		f[n] = p;
		flen[n++] = (size_t)(q - p);
		p = q;
	}
	*cur = p < end ? p + 1 : end;
	return n;
}

static int append_text(char *out, size_t outsz, size_t *o, const char *fmt, ...) __attribute__((format(printf, 4, 5)));
static int append_text(char *out, size_t outsz, size_t *o, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(out + *o, outsz > *o ? outsz - *o : 0, fmt, ap);
	va_end(ap);
	if (n < 0 || *o + (size_t)n >= outsz)
		return -ENOBUFS;
	*o += (size_t)n;
	return 0;
}

int procfs_format_idmap(const char *in, size_t len, bool full, char *out, size_t outsz)
{
	const char *cur = in, *end = in + len, *f[3];
	size_t fl[3], o = 0;

	if (outsz == 0)
		return -EINVAL;
	out[0] = '\0';
	while (cur < end) {
		int n = next_fields(&cur, end, f, fl, 3);
		if (n == 0)
			continue;
		uint64_t v[3];
		if (n != 3 || parse_u64_len(f[0], fl[0], &v[0]) < 0 || parse_u64_len(f[1], fl[1], &v[1]) < 0 ||
		    parse_u64_len(f[2], fl[2], &v[2]) < 0 || v[2] == 0 || v[0] > UINT32_MAX || v[1] > UINT32_MAX ||
		    v[2] > UINT32_MAX)
			return -EINVAL;
		int r;
		const char *sep = o ? (full ? "\n" : ",") : "";
		if (full)
			r = append_text(out, outsz, &o, "%s%llu %llu %llu", sep, (unsigned long long)v[0],
					(unsigned long long)v[1], (unsigned long long)v[2]);
		else if (v[2] == 1)
			r = append_text(out, outsz, &o, "%s%llu:%llu", sep, (unsigned long long)v[0],
					(unsigned long long)v[1]);
		else
			r = append_text(out, outsz, &o, "%s%llu-%llu:%llu", sep, (unsigned long long)v[0],
					(unsigned long long)(v[0] + v[2] - 1), (unsigned long long)v[1]);
		if (r < 0)
			return r;
	}
	return (int)o;
}

int procfs_format_timens(const char *in, size_t len, char *out, size_t outsz)
{
	const char *cur = in, *end = in + len, *f[3];
	size_t fl[3], o = 0;

	if (outsz == 0)
		return -EINVAL;
	out[0] = '\0';
	while (cur < end) {
		int n = next_fields(&cur, end, f, fl, 3);
		if (n == 0)
			continue;
		if (n != 3 || fl[0] > 32)
			return -EINVAL;
		char secs[32], nsecs[32];
		if (fl[1] >= sizeof(secs) || fl[2] >= sizeof(nsecs))
			return -EINVAL;
		memcpy(secs, f[1], fl[1]);
		secs[fl[1]] = '\0';
		memcpy(nsecs, f[2], fl[2]);
		nsecs[fl[2]] = '\0';
		char *e1, *e2;
		long long s = strtoll(secs, &e1, 10);
		long long ns = strtoll(nsecs, &e2, 10);
		if (*e1 || *e2 || !fl[1] || !fl[2] || ns < 0 || ns > 999999999 || s == LLONG_MIN)
			return -EINVAL;
		/* the kernel's pair is secs + nsecs/1e9 with nsecs never negative:
		 * "-5 500" is -4.9999995 s.  Print it as one signed number. */
		bool neg = s < 0;
		unsigned long long as = neg ? (unsigned long long)-s : (unsigned long long)s;
		unsigned long long ans = (unsigned long long)ns;
		if (neg && ans) {
			as -= 1;
			ans = 1000000000ULL - ans;
		}
		const char *sign = neg ? "-" : (as || ans) ? "+" : "";
		int r = ans ? append_text(out, outsz, &o, "%s%.*s=%s%llu.%09llus", o ? "," : "", (int)fl[0], f[0],
					  sign, as, ans)
			    : append_text(out, outsz, &o, "%s%.*s=%s%llus", o ? "," : "", (int)fl[0], f[0], sign, as);
		if (r < 0)
			return r;
	}
	return (int)o;
}
