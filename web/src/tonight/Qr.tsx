import QRCode from 'qrcode';
import { useEffect, useState } from 'react';

/** A QR code of `text`, drawn by the `qrcode` library as SVG and shown as an image (CSP: img-src data:). */
export function Qr({ text, label }: { text: string; label: string }) {
  const [src, setSrc] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    QRCode.toString(text, { type: 'svg', margin: 1, errorCorrectionLevel: 'M' })
      .then((svg) => {
        if (live) setSrc(`data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`);
      })
      .catch(() => setSrc(null));
    return () => {
      live = false;
    };
  }, [text]);
  return src ? <img className="qr" src={src} alt={label} width={176} height={176} /> : <div className="qr" aria-hidden="true" />;
}
