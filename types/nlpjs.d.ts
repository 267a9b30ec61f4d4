// @nlpjs ships no type declarations; these cover the parts the understanding uses.
declare module '@nlpjs/neural' {
  export interface NeuralNetworkJson {
    settings: Record<string, unknown>;
    features: string[];
    intents: string[];
    perceptrons: number[][];
  }
  export interface TrainingStatus {
    error: number;
    deltaError: number;
    iterations: number;
  }
  export class NeuralNetwork {
    constructor(settings?: { iterations?: number; errorThresh?: number; deltaErrorThresh?: number; learningRate?: number; momentum?: number; alpha?: number; log?: boolean | ((status: TrainingStatus, ms: number) => void) });
    train(corpus: { input: Record<string, number>; output: Record<string, number> }[]): TrainingStatus;
    run(input: Record<string, number>): Record<string, number> | undefined;
    toJSON(): NeuralNetworkJson;
    fromJSON(json: NeuralNetworkJson): void;
  }
}
declare module '@nlpjs/lang-es/src/stemmer-es.js' {
  export default class StemmerEs {
    stemWord(word: string): string;
  }
}
