//! Fortran number quirks: the numbers VASP writes, read exactly as printed.
//!
//! - exponents without `E` when the exponent has three digits: `0.1234-100` = 0.1234e-100;
//! - `D` exponents: `0.5D+01`;
//! - overflowed fields written as asterisks: `*****` (reported, never turned into a value);
//! - numbers that run into each other: `-0.7624566E-03-0.165E-04`, `2PiTHz13912.749672`.
//!
//! The grammar is a handful of small nom combinators; conversion to `f64` goes through the
//! standard library's correctly rounded parser, so a printed value reads back to the same
//! double as in Python or NumPy.

use nom::branch::alt;
use nom::bytes::complete::{tag, take_while, take_while1};
use nom::character::complete::one_of;
use nom::combinator::{opt, recognize};
use nom::sequence::{pair, tuple};
use nom::IResult;

/// Why a field is not a number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NumError {
    /// The field is empty.
    Empty,
    /// The field is Fortran's overflow marker (`***`).
    Overflow,
    /// Anything else.
    Invalid,
}

fn digits0(i: &[u8]) -> IResult<&[u8], &[u8]> {
    take_while(|c: u8| c.is_ascii_digit())(i)
}

fn digits1(i: &[u8]) -> IResult<&[u8], &[u8]> {
    take_while1(|c: u8| c.is_ascii_digit())(i)
}

fn sign(i: &[u8]) -> IResult<&[u8], Option<char>> {
    opt(one_of("+-"))(i)
}

/// `123`, `12.5`, `.5`, `5.`
fn mantissa(i: &[u8]) -> IResult<&[u8], &[u8]> {
    alt((
        recognize(tuple((digits0, tag("."), digits0))),
        recognize(digits1),
    ))(i)
}

/// `E-05`, `e5`, `D+01`
fn lettered_exponent(i: &[u8]) -> IResult<&[u8], &[u8]> {
    recognize(tuple((one_of("EeDd"), sign, digits1)))(i)
}

/// `-100`: an exponent without its letter, as Fortran prints three-digit exponents. Only
/// taken when no decimal point follows (which would make it the next number).
fn bare_exponent(i: &[u8]) -> IResult<&[u8], &[u8]> {
    let (rest, e) = recognize(pair(one_of("+-"), digits1))(i)?;
    if rest.first() == Some(&b'.') {
        return Err(nom::Err::Error(nom::error::Error::new(
            i,
            nom::error::ErrorKind::Verify,
        )));
    }
    Ok((rest, e))
}

/// One number at the start of `i`; returns the rest and the number's bytes.
fn number(i: &[u8]) -> IResult<&[u8], &[u8]> {
    let (rest, m) = recognize(pair(sign, mantissa))(i)?;
    if m.iter().all(|c| !c.is_ascii_digit()) {
        return Err(nom::Err::Error(nom::error::Error::new(
            i,
            nom::error::ErrorKind::Digit,
        )));
    }
    let has_point = m.contains(&b'.');
    let (rest, _) = if has_point {
        opt(alt((lettered_exponent, bare_exponent)))(rest)?
    } else {
        opt(lettered_exponent)(rest)?
    };
    let len = i.len() - rest.len();
    Ok((rest, &i[..len]))
}

/// Convert the bytes of one recognised number to `f64`.
fn convert(tok: &[u8]) -> Result<f64, NumError> {
    let mut buf = [0u8; 64];
    if tok.len() + 1 > buf.len() {
        return Err(NumError::Invalid);
    }
    let mut n = 0;
    let mut seen_mantissa_digit = false;
    for (k, &c) in tok.iter().enumerate() {
        match c {
            b'D' | b'd' => {
                buf[n] = b'e';
                n += 1;
            }
            b'+' | b'-'
                if k > 0
                    && seen_mantissa_digit
                    && !matches!(tok[k - 1], b'e' | b'E' | b'd' | b'D') =>
            {
                buf[n] = b'e';
                buf[n + 1] = c;
                n += 2;
            }
            _ => {
                if c.is_ascii_digit() || c == b'.' {
                    seen_mantissa_digit = true;
                }
                buf[n] = c;
                n += 1;
            }
        }
    }
    let s = std::str::from_utf8(&buf[..n]).map_err(|_| NumError::Invalid)?;
    s.parse::<f64>().map_err(|_| NumError::Invalid)
}

/// Parse one whole field (surrounding whitespace allowed) as a Fortran real.
pub fn parse_f64(field: &[u8]) -> Result<f64, NumError> {
    // Fast path: a plain decimal the standard library reads exactly (it is correctly
    // rounded); the quirks below only when that fails.
    if let Some(x) = plain_f64(field) {
        return Ok(x);
    }
    let f = crate::source::trim(field);
    if f.is_empty() {
        return Err(NumError::Empty);
    }
    if f.iter().all(|&c| c == b'*') {
        return Err(NumError::Overflow);
    }
    match number(f) {
        Ok((b"", tok)) => convert(tok),
        _ => Err(NumError::Invalid),
    }
}

/// A plain decimal field (digits, sign, `.`, `E`/`e` exponent) parsed by fast-float2 over the
/// whole field; `None` for anything else (Fortran's bare exponents `0.5-100`, `D` exponents,
/// blanks, `inf`/`nan`, which fast-float2 would accept but VASP never prints as such).
#[inline]
fn plain_f64(f: &[u8]) -> Option<f64> {
    if f.is_empty() || f.len() > 40 || !matches!(f[0], b'0'..=b'9' | b'.' | b'-' | b'+') {
        return None;
    }
    // fast-float2 is correctly rounded, like the standard library, and reads bytes; it
    // fails unless the whole field is one number.
    fast_float2::parse::<f64, _>(f)
        .ok()
        .filter(|x| x.is_finite())
}

/// Parse a whole field as a non-negative or negative integer.
pub fn parse_i64(field: &[u8]) -> Result<i64, NumError> {
    let f = crate::source::trim(field);
    if f.is_empty() {
        return Err(NumError::Empty);
    }
    if f.iter().all(|&c| c == b'*') {
        return Err(NumError::Overflow);
    }
    std::str::from_utf8(f)
        .ok()
        .and_then(|s| s.parse::<i64>().ok())
        .ok_or(NumError::Invalid)
}

/// Read the numbers at the start of `s`, allowing them to run into each other, stopping at
/// the first byte that cannot start a number. Overflow fields (`****`) yield
/// `Err(NumError::Overflow)` in place.
pub fn leading_numbers(s: &[u8]) -> Vec<Result<f64, NumError>> {
    let mut out = Vec::new();
    let mut i = crate::source::trim_start(s);
    loop {
        if i.is_empty() {
            break;
        }
        if i[0] == b'*' {
            let k = i.iter().position(|&c| c != b'*').unwrap_or(i.len());
            out.push(Err(NumError::Overflow));
            i = crate::source::trim_start(&i[k..]);
            continue;
        }
        match number(i) {
            Ok((rest, tok)) => {
                out.push(convert(tok));
                i = crate::source::trim_start(rest);
            }
            Err(_) => break,
        }
    }
    out
}

/// Every number of `s`, which must hold nothing else: numbers separated by blanks or run
/// into each other (`-0.123-0.456`). Anything left over (`0.12#4`, a NUL, a letter) is an
/// error, so a damaged field never reads as the number before the damage.
pub fn all_numbers(s: &[u8]) -> Result<Vec<f64>, NumError> {
    let mut out = Vec::new();
    let mut i = crate::source::trim_start(s);
    while !i.is_empty() {
        if i[0] == b'*' {
            return Err(NumError::Overflow);
        }
        match number(i) {
            Ok((rest, tok)) => {
                out.push(convert(tok)?);
                i = crate::source::trim_start(rest);
            }
            Err(_) => return Err(NumError::Invalid),
        }
    }
    Ok(out)
}

/// The whitespace-delimited field at the start of `s` (after blanks) as one number: the
/// whole field must be the number (`-.52636024E+03`), so `-.5263#024E+03` is an error.
pub fn first_field_number(s: &[u8]) -> Result<f64, NumError> {
    let t = crate::source::trim_start(s);
    let end = t
        .iter()
        .position(|c| c.is_ascii_whitespace())
        .unwrap_or(t.len());
    if end == 0 {
        return Err(NumError::Empty);
    }
    if t[0] == b'*' {
        return Err(NumError::Overflow);
    }
    parse_f64(&t[..end])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn all_numbers_must_consume_the_field() {
        assert_eq!(all_numbers(b"-0.123-0.456"), Ok(vec![-0.123, -0.456]));
        assert_eq!(all_numbers(b" 1.0E-01  2 "), Ok(vec![0.1, 2.0]));
        assert_eq!(all_numbers(b"0.12#4E-01"), Err(NumError::Invalid));
        assert_eq!(all_numbers(b"0.12\x004"), Err(NumError::Invalid));
        assert_eq!(all_numbers(b"0.1****"), Err(NumError::Overflow));
        assert_eq!(first_field_number(b" -.52636024E+03 E0="), Ok(-526.36024));
        assert_eq!(
            first_field_number(b" -.5263#024E+03 E0="),
            Err(NumError::Invalid)
        );
    }

    #[test]
    fn plain_and_exponents() {
        assert_eq!(parse_f64(b"-388.36460597"), Ok(-388.36460597));
        assert_eq!(parse_f64(b" 0.1E-05 "), Ok(1e-6));
        assert_eq!(parse_f64(b"-.52636024E+03"), Ok(-526.36024));
        assert_eq!(parse_f64(b"0.5D+01"), Ok(5.0));
        assert_eq!(parse_f64(b"42"), Ok(42.0));
        assert_eq!(parse_f64(b"5."), Ok(5.0));
    }

    #[test]
    fn exponent_without_letter() {
        assert_eq!(parse_f64(b"0.1234-100"), Ok(0.1234e-100));
        assert_eq!(parse_f64(b"-0.1234+105"), Ok(-0.1234e105));
    }

    #[test]
    fn overflow_and_garbage() {
        assert_eq!(parse_f64(b"*******"), Err(NumError::Overflow));
        assert_eq!(parse_f64(b""), Err(NumError::Empty));
        assert_eq!(parse_f64(b"abc"), Err(NumError::Invalid));
        assert_eq!(parse_f64(b"1.2.3"), Err(NumError::Invalid));
        assert_eq!(parse_f64(b"-"), Err(NumError::Invalid));
        assert_eq!(parse_f64(b"."), Err(NumError::Invalid));
        assert_eq!(parse_f64(b"12abc"), Err(NumError::Invalid));
    }

    #[test]
    fn merged_numbers() {
        let v = leading_numbers(b"-0.7624566E-03-0.165E-04");
        assert_eq!(v, vec![Ok(-0.7624566e-3), Ok(-0.165e-4)]);
        let v = leading_numbers(b"  1.5-2.5  3 ****** 4.0");
        assert_eq!(
            v,
            vec![Ok(1.5), Ok(-2.5), Ok(3.0), Err(NumError::Overflow), Ok(4.0)]
        );
        let v = leading_numbers(b"13912.749672 cm-1");
        assert_eq!(v, vec![Ok(13912.749672)]);
        // an exponent without letter, followed by another number
        let v = leading_numbers(b"0.1234-100-0.5");
        assert_eq!(v, vec![Ok(0.1234e-100), Ok(-0.5)]);
    }

    #[test]
    fn integers() {
        assert_eq!(parse_i64(b" 70 "), Ok(70));
        assert_eq!(parse_i64(b"-1"), Ok(-1));
        assert_eq!(parse_i64(b"***"), Err(NumError::Overflow));
        assert_eq!(parse_i64(b"7.0"), Err(NumError::Invalid));
    }
}
