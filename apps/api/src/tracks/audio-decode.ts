import { decodeWav, type DecodedAudio } from './waveform';

/** Why a stored file could not be decoded: said in the log and kept with the track. */
export class UndecodableAudioError extends Error {}

interface WasmDecoded {
  channelData: Float32Array[];
  samplesDecoded: number;
  sampleRate: number;
  errors: { message: string }[];
}

/** A decoder's whole output as planar audio; an error when it decoded nothing. */
function fromWasm(format: string, result: WasmDecoded): DecodedAudio {
  if (!result.samplesDecoded || !result.channelData.length || !result.sampleRate) {
    const why = result.errors[0]?.message;
    throw new UndecodableAudioError(`the ${format} decoder found no audio${why ? ` (${why})` : ''}`);
  }
  return { sampleRate: result.sampleRate, channels: result.channelData.map((channel) => channel.subarray(0, result.samplesDecoded)) };
}

/**
 * Decodes a stored audio file of any format TextTune stores into planar float channels:
 * WAV (PCM and float) here, MP3 with mpg123, FLAC with libFLAC and Ogg Vorbis with
 * libvorbis, each compiled to WebAssembly (no native code, no ffmpeg at run time).
 * Throws {@link UndecodableAudioError} for what none of them reads (e.g. Ogg Opus).
 * The decoders are loaded on first use: a process that never measures never loads them.
 */
export async function decodeAudio(bytes: Buffer, format: string): Promise<DecodedAudio> {
  const data = new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  switch (format) {
    case 'wav': {
      const audio = decodeWav(bytes);
      if (!audio) throw new UndecodableAudioError('the WAV file uses an encoding we do not decode (only PCM and float)');
      return audio;
    }
    case 'mp3': {
      const { MPEGDecoder } = await import('mpg123-decoder');
      const decoder = new MPEGDecoder();
      await decoder.ready;
      try {
        return fromWasm('MP3', decoder.decode(data));
      } finally {
        decoder.free();
      }
    }
    case 'flac': {
      const { FLACDecoder } = await import('@wasm-audio-decoders/flac');
      const decoder = new FLACDecoder();
      await decoder.ready;
      try {
        return fromWasm('FLAC', await decoder.decodeFile(data));
      } finally {
        decoder.free();
      }
    }
    case 'ogg': {
      const { OggVorbisDecoder } = await import('@wasm-audio-decoders/ogg-vorbis');
      const decoder = new OggVorbisDecoder();
      await decoder.ready;
      try {
        return fromWasm('Ogg Vorbis', await decoder.decodeFile(data));
      } finally {
        decoder.free();
      }
    }
    default:
      throw new UndecodableAudioError(`the format "${format}" is not one we decode`);
  }
}
