//! Pictures uploaded for the public pages (an article's photos): decoded with the `image` crate
//! under limits, turned upright by their EXIF orientation, flattened onto white, resized to a
//! few widths for `srcset` and re-encoded as JPEG. Nothing of the upload survives but the
//! pixels: EXIF (the camera, the time, the GPS position), comments and colour profiles are not
//! copied, since every size is encoded afresh. The bytes are untrusted: the decoder's limits cap
//! the dimensions and the memory, and callers run this on the blocking pool under a time limit
//! (`kernel::heavy::Heavy`).

use std::io::Cursor;

use image::{DynamicImage, ImageDecoder, ImageFormat, ImageReader, Limits, RgbImage};

/// The widths served (CSS pixels at 1x to 2x on phones up to desktops); a picture narrower than
/// one is not enlarged.
pub const WIDTHS: [u32; 3] = [480, 960, 1600];
/// The most pixels either side of an upload may have.
pub const MAX_SIDE: u32 = 10_000;
/// The most pixels an upload may have (a 48-megapixel phone photo is 8,000 × 6,000), checked
/// from its header before anything is decoded.
pub const MAX_PIXELS: u64 = 50_000_000;
/// The most memory the decoder may allocate (bytes).
pub const MAX_ALLOC: u64 = 256 * 1024 * 1024;
/// JPEG quality of every size.
pub const QUALITY: u8 = 82;

/// One size of a picture, as JPEG.
#[derive(Clone, Debug)]
pub struct Size {
    pub width: u32,
    pub height: u32,
    pub jpeg: Vec<u8>,
}

/// A processed picture: its upright dimensions and its sizes, smallest first.
#[derive(Clone, Debug)]
pub struct Picture {
    pub width: u32,
    pub height: u32,
    pub sizes: Vec<Size>,
}

/// Why an upload is not a picture we take.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PictureError {
    /// Not a JPEG, PNG, WebP or GIF, or damaged.
    NotAPicture,
    /// Wider or taller than [`MAX_SIDE`], or too large to decode.
    TooLarge,
}

impl PictureError {
    /// What the person who uploaded it is told.
    pub fn message(self) -> &'static str {
        match self {
            PictureError::NotAPicture => "Tệp không phải là ảnh JPEG, PNG, WebP hoặc GIF đọc được.",
            PictureError::TooLarge => "Ảnh quá lớn (tối đa 10.000 điểm ảnh mỗi chiều và 50 triệu điểm ảnh).",
        }
    }
}

/// Processes an upload (see the module's documentation).
pub fn process(bytes: &[u8]) -> Result<Picture, PictureError> {
    std::panic::catch_unwind(|| process_inner(bytes)).unwrap_or(Err(PictureError::NotAPicture))
}

fn process_inner(bytes: &[u8]) -> Result<Picture, PictureError> {
    let mut reader = ImageReader::new(Cursor::new(bytes)).with_guessed_format().map_err(|_| PictureError::NotAPicture)?;
    if !matches!(reader.format(), Some(ImageFormat::Jpeg | ImageFormat::Png | ImageFormat::WebP | ImageFormat::Gif)) {
        return Err(PictureError::NotAPicture);
    }
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    limits.max_alloc = Some(MAX_ALLOC);
    reader.limits(limits);
    let mut decoder = reader.into_decoder().map_err(classify)?;
    let (w0, h0) = decoder.dimensions();
    if u64::from(w0) * u64::from(h0) > MAX_PIXELS {
        return Err(PictureError::TooLarge);
    }
    let orientation = decoder.orientation().unwrap_or(image::metadata::Orientation::NoTransforms);
    let mut img = DynamicImage::from_decoder(decoder).map_err(classify)?;
    img.apply_orientation(orientation);
    // One copy at a time: the decoded picture is consumed into its flattened RGB pixels.
    let full = DynamicImage::ImageRgb8(flatten(img));
    let (width, height) = (full.width(), full.height());
    if width == 0 || height == 0 {
        return Err(PictureError::NotAPicture);
    }
    let mut sizes = Vec::new();
    for w in widths(width) {
        let h = ((u64::from(height) * u64::from(w) + u64::from(width) / 2) / u64::from(width)).max(1) as u32;
        let mut jpeg = Vec::new();
        let mut encoder = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpeg, QUALITY);
        if w == width {
            encoder.encode_image(&full)
        } else {
            encoder.encode_image(&full.resize_exact(w, h, image::imageops::FilterType::CatmullRom))
        }
        .map_err(|_| PictureError::NotAPicture)?;
        sizes.push(Size { width: w, height: h, jpeg });
    }
    Ok(Picture { width, height, sizes })
}

fn classify(e: image::ImageError) -> PictureError {
    match e {
        image::ImageError::Limits(_) => PictureError::TooLarge,
        _ => PictureError::NotAPicture,
    }
}

/// The widths made of a picture `width` wide: each of [`WIDTHS`] below it, and the picture's own
/// width capped at the largest.
pub fn widths(width: u32) -> Vec<u32> {
    let top = width.min(WIDTHS[WIDTHS.len() - 1]);
    let mut out: Vec<u32> = WIDTHS.iter().copied().filter(|w| *w < top).collect();
    out.push(top);
    out
}

/// The pixels on a white background (transparent parts of a PNG or GIF become white).
fn flatten(img: DynamicImage) -> RgbImage {
    if !img.color().has_alpha() {
        return img.into_rgb8();
    }
    let rgba = img.into_rgba8();
    RgbImage::from_fn(rgba.width(), rgba.height(), |x, y| {
        let p = rgba.get_pixel(x, y).0;
        let a = u16::from(p[3]);
        let mix = |c: u8| ((u16::from(c) * a + 255 * (255 - a) + 127) / 255) as u8;
        image::Rgb([mix(p[0]), mix(p[1]), mix(p[2])])
    })
}

/// A sample picture for the demo data and the tests: a sky-to-field gradient with a sun, `w` by
/// `h`, as PNG.
pub fn sample_png(w: u32, h: u32) -> Vec<u8> {
    let img = RgbImage::from_fn(w, h, |x, y| {
        let (fx, fy) = (f64::from(x) / f64::from(w.max(1)), f64::from(y) / f64::from(h.max(1)));
        let (sx, sy) = (fx - 0.75, fy - 0.3);
        if sx * sx + sy * sy < 0.01 {
            image::Rgb([250, 200, 40])
        } else if fy < 0.6 {
            image::Rgb([(90.0 + 80.0 * fy) as u8, (150.0 + 60.0 * fy) as u8, 230])
        } else {
            image::Rgb([(40.0 + 60.0 * fx) as u8, (140.0 - 40.0 * fy) as u8, 60])
        }
    });
    let mut out = Vec::new();
    // Encoding a fresh RGB buffer to PNG in memory does not fail.
    let _ = DynamicImage::ImageRgb8(img).write_to(&mut Cursor::new(&mut out), ImageFormat::Png);
    out
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// A JPEG `w` by `h` with an EXIF block saying "rotate 90° clockwise" (orientation 6) and a
    /// GPS-like marker string that must not survive.
    fn jpeg_with_exif(w: u32, h: u32) -> Vec<u8> {
        let img = RgbImage::from_fn(w, h, |x, _| if x < w / 2 { image::Rgb([255, 0, 0]) } else { image::Rgb([0, 0, 255]) });
        let mut plain = Vec::new();
        image::codecs::jpeg::JpegEncoder::new_with_quality(&mut plain, 90).encode_image(&img).unwrap();
        // TIFF, little-endian: one IFD entry, Orientation (0x0112), SHORT, 1, value 6.
        let mut tiff = b"II*\0\x08\0\0\0\x01\0\x12\x01\x03\0\x01\0\0\0\x06\0\0\0\0\0\0\0".to_vec();
        tiff.extend_from_slice(b"GPS 21.85N 106.76E");
        let mut app1 = b"Exif\0\0".to_vec();
        app1.extend_from_slice(&tiff);
        let len = (app1.len() + 2) as u16;
        let mut out = plain[..2].to_vec(); // SOI
        out.extend_from_slice(&[0xFF, 0xE1]);
        out.extend_from_slice(&len.to_be_bytes());
        out.extend_from_slice(&app1);
        out.extend_from_slice(&plain[2..]);
        out
    }

    #[test]
    fn exif_is_applied_then_dropped() {
        let src = jpeg_with_exif(200, 100);
        assert!(src.windows(4).any(|w| w == b"Exif"));
        let p = process(&src).unwrap();
        // Upright: the 200 × 100 picture rotated a quarter turn.
        assert_eq!((p.width, p.height), (100, 200));
        assert_eq!(p.sizes.len(), 1);
        let out = &p.sizes[0].jpeg;
        assert!(!out.windows(4).any(|w| w == b"Exif") && !out.windows(3).any(|w| w == b"GPS"));
        let back = image::load_from_memory(out).unwrap();
        assert_eq!((back.width(), back.height()), (100, 200));
    }

    #[test]
    fn sizes_for_srcset_never_enlarge() {
        assert_eq!(widths(300), vec![300]);
        assert_eq!(widths(480), vec![480]);
        assert_eq!(widths(1200), vec![480, 960, 1200]);
        assert_eq!(widths(4000), vec![480, 960, 1600]);
        let p = process(&sample_png(2000, 1000)).unwrap();
        assert_eq!(p.sizes.iter().map(|s| (s.width, s.height)).collect::<Vec<_>>(), vec![(480, 240), (960, 480), (1600, 800)]);
        for s in &p.sizes {
            assert!(s.jpeg.starts_with(&[0xFF, 0xD8]));
        }
    }

    #[test]
    fn transparency_becomes_white() {
        let img = image::RgbaImage::from_pixel(10, 10, image::Rgba([0, 0, 0, 0]));
        let mut png = Vec::new();
        DynamicImage::ImageRgba8(img).write_to(&mut Cursor::new(&mut png), ImageFormat::Png).unwrap();
        let p = process(&png).unwrap();
        let back = image::load_from_memory(&p.sizes[0].jpeg).unwrap().to_rgb8();
        assert!(back.get_pixel(5, 5).0.iter().all(|c| *c > 245));
    }

    #[test]
    fn what_is_not_a_picture_or_too_large_is_refused() {
        assert_eq!(process(b"hello").unwrap_err(), PictureError::NotAPicture);
        assert_eq!(process(b"%PDF-1.4\n%%EOF").unwrap_err(), PictureError::NotAPicture);
        // PNG headers declaring 20,000 × 20,000 pixels, and 9,000 × 9,000 (over 50 megapixels).
        let declared = |side: u32| {
            let mut png = sample_png(4, 4);
            png[16..20].copy_from_slice(&side.to_be_bytes());
            png[20..24].copy_from_slice(&side.to_be_bytes());
            // The IHDR chunk's CRC over its type and data, so only the size is wrong.
            let mut crc = flate2::Crc::new();
            crc.update(&png[12..29]);
            png[29..33].copy_from_slice(&crc.sum().to_be_bytes());
            png
        };
        assert_eq!(process(&declared(20_000)).unwrap_err(), PictureError::TooLarge);
        assert_eq!(process(&declared(9_000)).unwrap_err(), PictureError::TooLarge);
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(48))]
        #[test]
        fn never_panics_on_damaged_uploads(cut in 0usize..3000, flips in proptest::collection::vec((0usize..3000, any::<u8>()), 0..6)) {
            let mut bytes = jpeg_with_exif(40, 30);
            for (i, b) in flips {
                let n = bytes.len();
                bytes[i % n] = b;
            }
            bytes.truncate(cut.min(bytes.len()));
            let _ = process(&bytes);
        }
    }
}
