// Original file: gleam.proto


export interface Empty {
}

export interface Empty__Output {
}
