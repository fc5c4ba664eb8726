/* email.h: e-mail addresses as rosters give them and calendars need them (RFC 5322, 6531, 6532).
 *
 * One check shared by the roster reader (which warns, with the cell's
 * location, about an address nobody could send to) and the calendar writer
 * (which turns a valid address into a mailto: URI and otherwise falls back
 * to a URN naming the roster id), so both always agree.
 */
#ifndef MM_IO_EMAIL_H
#define MM_IO_EMAIL_H

#include "ics_text.h"

/* 1 when s is an addr-spec: a dot-atom or quoted-string local part of at
 * most 64 octets, '@', and a domain of dot-separated labels (letters,
 * digits, inner hyphens, at most 63 octets each) or a [domain literal];
 * 254 octets at most.  UTF-8 letters count as letters in both parts
 * (internationalised addresses, RFC 6531/6532); bytes that are not valid
 * UTF-8 never do. */
int io_email_valid(const char *s);

/* Appends "mailto:" and the address as an IRI: UTF-8 kept as is (clients
 * match attendees by the address they were sent), ASCII characters that
 * RFC 6068 does not allow in a mailto: local part percent-encoded.  Only
 * for addresses io_email_valid accepts. */
void io_sb_mailto(io_sbuf *b, const char *email);

#endif
